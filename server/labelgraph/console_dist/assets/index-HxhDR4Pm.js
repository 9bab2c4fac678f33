import{a as l,j as e,c as re}from"./index-Dqs7sZj5.js";import{c as oe}from"./client-wkOhMJXj.js";const Y="labelgraph.token",U="labelgraph.signedOut",K=new Set;function z(){return sessionStorage.getItem(Y)}function Q(t){t?sessionStorage.setItem(Y,t):sessionStorage.removeItem(Y),P?.dispose(),P=null,B=!1,K.forEach(n=>n())}function ce(t){return K.add(t),()=>K.delete(t)}class w extends Error{constructor(n,a){super(n),this.code=a}code}function te(t){if(t.errors?.length){const n=t.errors[0],a=n.extensions?.code??null;throw a==="UNAUTHENTICATED"&&(sessionStorage.setItem(U,n.message),Q(null)),new w(t.errors.map(r=>r.message).join("; "),a)}return t.data}async function T(t,n){const a=z(),r=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...a?{authorization:`Bearer ${a}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let s;try{s=await r.json()}catch{throw new w(`the gateway answered ${r.status} ${r.statusText}`,null)}return te(s)}let P=null,B=!1;function ne(){if(!P){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;P=oe({url:t,connectionParams:()=>({authorization:`Bearer ${z()??""}`}),retryAttempts:5,lazy:!0,on:{connected:()=>{B=!0},closed:()=>{B=!1}}})}return P}function le(t){const n=ne();return B&&queueMicrotask(t),n.on("connected",t)}function se(t,n,a,r){return ne().subscribe({query:t.toString(),variables:n},{next:s=>{try{a(te(s))}catch(o){r(o)}},error:s=>{Array.isArray(s)?r(new w(s.map(o=>o.message).join("; "),null)):s instanceof CloseEvent?r(new w(`the subscription closed: ${s.reason||s.code}`,null)):r(new w(String(s?.message??s),null))},complete:()=>{}})}function k(t,n){const a=JSON.stringify(n),[r,s]=l.useState({data:null,error:null,loading:!0}),[o,p]=l.useState(0);l.useEffect(()=>{let u=!0;return s(i=>({...i,loading:!0})),T(t,JSON.parse(a)).then(i=>u&&s({data:i,error:null,loading:!1}),i=>u&&s({data:null,error:i,loading:!1})),()=>{u=!1}},[t,a,o]);const g=l.useCallback(()=>p(u=>u+1),[]);return{...r,reload:g}}function de(){const[t,n]=l.useState(location.hash.slice(1)||"/");return l.useEffect(()=>{const a=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",a),()=>window.removeEventListener("hashchange",a)},[]),t}class v extends String{__apiType;value;__meta__;constructor(n,a){super(n),this.value=n,this.__meta__=a}toString(){return this.value}}new v(`
    fragment ItemCard on Item {
  id
  name
  dir
  type
  mimetype
  width
  height
  annotated
  annotationsCount
  thumbnailUrl
}
    `,{fragmentName:"ItemCard"});const ue=new v(`
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}
    `,{fragmentName:"ExecutionFields"});new v(`
    fragment LogLine on ExecutionLogLine {
  id
  time
  stream
  level
  text
  attempt
}
    `,{fragmentName:"LogLine"});const me=new v(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),pe=new v(`
    query Organizations {
  organizations(first: 50) {
    totalCount
    nodes {
      id
      name
      plan
      projects(first: 50) {
        totalCount
        nodes {
          id
          name
          description
          datasets(first: 1) {
            totalCount
          }
        }
      }
    }
  }
}
    `),he=new v(`
    query ProjectPage($id: ID!) {
  project(id: $id) {
    id
    name
    description
    organization {
      id
      name
    }
    datasets(first: 100) {
      totalCount
      nodes {
        id
        name
        description
        itemsCount
        annotatedCount
        readonly
      }
    }
    services(first: 100) {
      nodes {
        id
        name
        active
      }
    }
  }
}
    `),xe=new v(`
    query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {
  dataset(id: $id) {
    id
    name
    itemsCount
    annotatedCount
    project {
      id
      name
    }
    labels {
      tag
      color
    }
    items(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ItemCard
      }
    }
  }
}
    fragment ItemCard on Item {
  id
  name
  dir
  type
  mimetype
  width
  height
  annotated
  annotationsCount
  thumbnailUrl
}`),fe=new v(`
    query ItemPage($id: ID!) {
  item(id: $id) {
    id
    name
    dir
    filename
    type
    mimetype
    size
    width
    height
    description
    metadata
    annotated
    createdAt
    updatedAt
    url
    fps
    duration
    taskStatuses {
      status
      statusAt
      task {
        id
        name
        availableActions {
          action
          displayName
          color
        }
      }
    }
    dataset {
      id
      name
      project {
        id
        name
      }
      labels {
        tag
        color
        displayName
      }
    }
    annotations(first: 500) {
      totalCount
      nodes {
        id
        type
        label
        coordinates
        frame
        endFrame
        attributes
      }
    }
  }
}
    `),ge=new v(`
    query ProjectExecutions($projectId: ID!) {
  project(id: $projectId) {
    id
    name
    services(first: 100) {
      nodes {
        id
        name
        active
      }
    }
    executions(first: 200, orderBy: [{field: CREATED_AT, direction: DESC}]) {
      totalCount
      nodes {
        ...ExecutionFields
      }
    }
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),je=new v(`
    subscription ExecutionsUpdated($projectId: ID!) {
  executionsUpdated(filter: {projectId: $projectId}) {
    ...ExecutionFields
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),Ee=new v(`
    query ExecutionPage($id: ID!) {
  execution(id: $id) {
    ...ExecutionFields
    input
    project {
      id
      name
    }
    statusLog {
      status
      percentComplete
      message
      timestamp
    }
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),ye=new v(`
    subscription ExecutionUpdated($id: ID!) {
  executionUpdated(id: $id) {
    ...ExecutionFields
    statusLog {
      status
      percentComplete
      message
      timestamp
    }
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),Se=new v(`
    mutation ExecutionCreate($input: ExecutionCreateInput!) {
  executionCreate(input: $input) {
    execution {
      ...ExecutionFields
    }
    errors {
      message
      field
      code
    }
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),ve=new v(`
    mutation ExecutionRerun($id: ID!) {
  executionRerun(input: {id: $id}) {
    execution {
      ...ExecutionFields
    }
    errors {
      message
      field
      code
    }
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),$e=new v(`
    mutation ExecutionTerminate($id: ID!) {
  executionTerminate(input: {id: $id}) {
    execution {
      ...ExecutionFields
    }
    errors {
      message
      field
      code
    }
  }
}
    fragment ExecutionFields on Execution {
  id
  version
  functionName
  status
  progress
  attempts
  maxAttempts
  toTerminate
  createdAt
  startedAt
  finishedAt
  duration
  error
  output
  service {
    id
    name
  }
  latestStatus {
    status
    percentComplete
    message
    timestamp
  }
}`),Ce=new v(`
    mutation ItemStatusSet($input: ItemStatusSetInput!) {
  itemStatusSet(input: $input) {
    itemIds
    errors {
      field
      code
      message
    }
  }
}
    `),be=new v(`
    query ExecutionLogs($id: ID!, $first: Int!, $after: String) {
  execution(id: $id) {
    id
    logs(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...LogLine
      }
    }
  }
}
    fragment LogLine on ExecutionLogLine {
  id
  time
  stream
  level
  text
  attempt
}`),Ie={"\n  query Me {\n    me { id email name }\n  }\n":me,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":pe,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":he,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n":xe,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n":fe,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":ue,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":ge,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":je,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":Ee,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":ye,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Se,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":ve,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":$e,"\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n":Ce,"\n  query ExecutionLogs($id: ID!, $first: Int!, $after: String) {\n    execution(id: $id) {\n      id\n      logs(first: $first, after: $after) {\n        pageInfo { hasNextPage endCursor }\n        nodes { ...LogLine }\n      }\n    }\n  }\n  fragment LogLine on ExecutionLogLine { id time stream level text attempt }\n":be};function b(t){return Ie[t]??{}}const Ne=b(`
  query Me {
    me { id email name }
  }
`),we=b(`
  query Organizations {
    organizations(first: 50) {
      totalCount
      nodes {
        id
        name
        plan
        projects(first: 50) {
          totalCount
          nodes { id name description datasets(first: 1) { totalCount } }
        }
      }
    }
  }
`),Ae=b(`
  query ProjectPage($id: ID!) {
    project(id: $id) {
      id
      name
      description
      organization { id name }
      datasets(first: 100) {
        totalCount
        nodes { id name description itemsCount annotatedCount readonly }
      }
      services(first: 100) { nodes { id name active } }
    }
  }
`),De=b(`
  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {
    dataset(id: $id) {
      id
      name
      itemsCount
      annotatedCount
      project { id name }
      labels { tag color }
      items(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { ...ItemCard }
      }
    }
  }
  fragment ItemCard on Item {
    id
    name
    dir
    type
    mimetype
    width
    height
    annotated
    annotationsCount
    thumbnailUrl
  }
`),Te=b(`
  query ItemPage($id: ID!) {
    item(id: $id) {
      id
      name
      dir
      filename
      type
      mimetype
      size
      width
      height
      description
      metadata
      annotated
      createdAt
      updatedAt
      url
      fps
      duration
      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }
      dataset { id name project { id name } labels { tag color displayName } }
      annotations(first: 500) {
        totalCount
        nodes { id type label coordinates frame endFrame attributes }
      }
    }
  }
`);b(`
  fragment ExecutionFields on Execution {
    id
    version
    functionName
    status
    progress
    attempts
    maxAttempts
    toTerminate
    createdAt
    startedAt
    finishedAt
    duration
    error
    output
    service { id name }
    latestStatus { status percentComplete message timestamp }
  }
`);const Le=b(`
  query ProjectExecutions($projectId: ID!) {
    project(id: $projectId) {
      id
      name
      services(first: 100) { nodes { id name active } }
      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
        totalCount
        nodes { ...ExecutionFields }
      }
    }
  }
`),Fe=b(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),Pe=b(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),ke=b(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),Me=b(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Re=b(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),qe=b(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Oe=b(`
  mutation ItemStatusSet($input: ItemStatusSetInput!) {
    itemStatusSet(input: $input) {
      itemIds
      errors { field code message }
    }
  }
`),Ue=b(`
  query ExecutionLogs($id: ID!, $first: Int!, $after: String) {
    execution(id: $id) {
      id
      logs(first: $first, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...LogLine }
      }
    }
  }
  fragment LogLine on ExecutionLogLine { id time stream level text attempt }
`);function $({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function M({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function R({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function _({value:t}){return e.jsx("pre",{className:"json",tabIndex:0,children:JSON.stringify(t,null,2)})}function _e(){const[t,n]=l.useState(""),[a,r]=l.useState(null),[s,o]=l.useState(!1),p=sessionStorage.getItem(U);async function g(u){u.preventDefault(),o(!0),r(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await T(Ne),sessionStorage.removeItem(U),Q(t.trim())}catch(i){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(U),r(i)}finally{o(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),p?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",p]}):null,e.jsxs("form",{onSubmit:g,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:u=>n(u.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:s,children:"Sign in"})]}),e.jsx($,{error:a})]})}function ze(){const{data:t,error:n,loading:a}=k(we,{});return n?e.jsx($,{error:n}):a||!t?e.jsx(M,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(r=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[r.name," ",e.jsx("span",{className:"muted",children:r.plan})]}),e.jsxs("p",{children:[r.projects.totalCount," project",r.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:r.projects.nodes.map(s=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${s.id}`,children:s.name})," ",e.jsxs("span",{className:"muted",children:[s.datasets.totalCount," dataset",s.datasets.totalCount===1?"":"s"]})]},s.id))})]},r.id))]})}function Be({id:t}){const{data:n,error:a,loading:r}=k(Ae,{id:t});if(a)return e.jsx($,{error:a});if(r||!n)return e.jsx(M,{what:"the project"});const s=n.project;return s?e.jsxs("section",{children:[e.jsxs(R,{children:[e.jsx("a",{href:"#/",children:s.organization.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),s.description?e.jsx("p",{children:s.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${s.id}/executions`,children:"Executions board"})," (",s.services.nodes.length," services)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",s.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:s.datasets.nodes.map(o=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${o.id}`,children:o.name}),o.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:o.itemsCount}),e.jsx("td",{className:"num",children:o.annotatedCount})]},o.id))})]})]}):e.jsx($,{error:new Error(`project ${t} not found`)})}function He(t){return t.thumbnailUrl??null}function Ve(t){return t.url??null}function Ge(t){return(t.mimetype??"").startsWith("video/")}const Je=100,X=168,D=156,O={dir:"",name:"",annotated:"",label:"",metaPath:"",metaValue:""};function Ye(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.label&&(n.annotations={label:{eq:t.label}}),t.metaPath){let a=t.metaValue;try{a=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:a}]}return Object.keys(n).length?n:null}function Ke({id:t}){const[n,a]=l.useState(O),[r,s]=l.useState(O),[o,p]=l.useState(null),[g,u]=l.useState([]),[i,x]=l.useState(null),[d,h]=l.useState({end:null,more:!0}),[j,m]=l.useState(null),c=l.useRef(!1),y=l.useRef(0),S=l.useCallback(async(E,f)=>{if(c.current&&!f)return;c.current=!0;const I=f?++y.current:y.current;try{const A=await T(De,{id:t,first:Je,after:E,filter:Ye(r)});if(I!==y.current)return;const C=A.dataset;if(!C)throw new w(`dataset ${t} not found`,"NOT_FOUND");p(C),x(C.items.totalCount),u(L=>f?C.items.nodes:[...L,...C.items.nodes]),h({end:C.items.pageInfo.endCursor??null,more:C.items.pageInfo.hasNextPage}),m(null)}catch(A){I===y.current&&m(A)}finally{I===y.current&&(c.current=!1)}},[t,r]);l.useEffect(()=>{u([]),x(null),S(null,!0)},[S]);function N(E){E.preventDefault(),s(n)}return e.jsxs("section",{children:[o?e.jsxs(R,{children:[e.jsx("a",{href:`#/projects/${o.project.id}`,children:o.project.name})," / ",e.jsx("span",{children:o.name})]}):null,e.jsx("h1",{children:o?.name??"Dataset"}),e.jsxs("form",{className:"filters",onSubmit:N,"aria-label":"Filter items",children:[e.jsx(F,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:E=>a({...n,dir:E.target.value})})}),e.jsx(F,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:E=>a({...n,name:E.target.value})})}),e.jsx(F,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:E=>a({...n,annotated:E.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(F,{id:"f-label",label:"Label",children:e.jsxs("select",{id:"f-label",value:n.label,onChange:E=>a({...n,label:E.target.value}),children:[e.jsx("option",{value:"",children:"any"}),(o?.labels??[]).map(E=>e.jsx("option",{value:E.tag,children:E.tag},E.tag))]})}),e.jsx(F,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:E=>a({...n,metaPath:E.target.value})})}),e.jsx(F,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:E=>a({...n,metaValue:E.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{a(O),s(O)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[i===null?"Loading items…":`${i.toLocaleString("en")} item${i===1?"":"s"}`,i!==null&&g.length<i?` (${g.length.toLocaleString("en")} loaded)`:""]}),e.jsx($,{error:j}),e.jsx(We,{items:g,more:d.more,onNeedMore:()=>d.more&&void S(d.end,!1)})]})}function F({id:t,label:n,children:a}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),a]})}function We({items:t,more:n,onNeedMore:a}){const r=l.useRef(null),[s,o]=l.useState({top:0,width:800,height:600}),[p,g]=l.useState(0),u=Math.max(1,Math.floor(s.width/X)),i=Math.ceil(t.length/u),x=Math.max(0,Math.floor(s.top/D)-2),d=Math.min(i,Math.ceil((s.top+s.height)/D)+2),h=l.useCallback(()=>{const c=r.current;c&&o({top:c.scrollTop,width:c.clientWidth,height:c.clientHeight})},[]);l.useLayoutEffect(()=>{h();const c=new ResizeObserver(h);return r.current&&c.observe(r.current),()=>c.disconnect()},[h]),l.useEffect(()=>{n&&d*u>=t.length-u*2-1&&a()},[n,d,u,t.length,a]);function j(c){const y={ArrowRight:1,ArrowLeft:-1,ArrowDown:u,ArrowUp:-u,Home:-t.length,End:t.length}[c.key];if(y===void 0||!t.length)return;c.preventDefault();const S=Math.min(t.length-1,Math.max(0,p+y));g(S);const N=r.current,E=Math.floor(S/u)*D;E<N.scrollTop?N.scrollTop=E:E+D>N.scrollTop+N.clientHeight&&(N.scrollTop=E+D-N.clientHeight),requestAnimationFrame(()=>r.current?.querySelector(`[data-index="${S}"]`)?.focus())}const m=[];for(let c=x*u;c<Math.min(t.length,d*u);c++){const y=t[c],S=He(y);m.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(c/u)*D,left:c%u*X},children:e.jsxs("a",{href:`#/items/${y.id}`,"data-index":c,"data-item-id":y.id,tabIndex:c===p?0:-1,onFocus:()=>g(c),children:[S?e.jsx("img",{src:S,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:y.type==="dir"?"📁":(y.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:y.name}),e.jsxs("span",{className:"muted small",children:[y.annotationsCount," annotation",y.annotationsCount===1?"":"s"]})]})},y.id))}return e.jsx("div",{ref:r,className:"grid",onScroll:h,onKeyDown:j,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:i*D+(n?D:0),position:"relative"},children:m})})}const Z=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function ae(t){const n=t.coordinates;return Z(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(Z):[]}function Qe({a:t,color:n}){const a=ae(t),r={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},s=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&a.length>=2){const[o,p]=a;return e.jsx("rect",{...r,x:Math.min(o.x,p.x),y:Math.min(o.y,p.y),width:Math.abs(p.x-o.x),height:Math.abs(p.y-o.y),fill:n,fillOpacity:.15,children:s})}return t.type==="POLYGON"&&a.length>=3?e.jsx("polygon",{...r,points:a.map(o=>`${o.x},${o.y}`).join(" "),fill:n,fillOpacity:.2,children:s}):t.type==="POLYLINE"&&a.length>=2?e.jsx("polyline",{...r,points:a.map(o=>`${o.x},${o.y}`).join(" "),fill:"none",children:s}):t.type==="POINT"&&a.length>=1?e.jsx("circle",{...r,cx:a[0].x,cy:a[0].y,r:5,fill:n,children:s}):null}function Xe({itemId:t,ts:n}){const a=n.task,[r,s]=l.useState(n.status??null),[o,p]=l.useState(n.status??""),[g,u]=l.useState(!1),[i,x]=l.useState(null);if(!a)return e.jsxs("li",{children:["task: ",r??"no status"]});const d=`status-${a.id}`,h=a.availableActions.find(m=>m.action===r);async function j(m){m.preventDefault(),u(!0);try{const c=o===""?null:o,S=(await T(Oe,{input:{taskId:a.id,itemId:t,status:c}})).itemStatusSet.errors[0];S?x(new w(S.message,S.code)):(s(c),x(null))}catch(c){x(c)}finally{u(!1)}}return e.jsxs("li",{"data-task-id":a.id,children:[e.jsxs("form",{className:"status-form",onSubmit:j,"aria-label":`Status in ${a.name}`,children:[e.jsxs("span",{children:[a.name,": "]}),h?e.jsx("span",{className:"swatch",style:{background:h.color},"aria-hidden":"true"}):null,e.jsx("strong",{"data-testid":"task-status",children:h?.displayName??r??"no status"})," ",e.jsx("label",{htmlFor:d,className:"visually-hidden",children:`New status in ${a.name}`}),e.jsxs("select",{id:d,value:o,onChange:m=>p(m.target.value),disabled:g,children:[e.jsx("option",{value:"",children:"no status"}),a.availableActions.map(m=>e.jsx("option",{value:m.action,children:m.displayName},m.action))]})," ",e.jsx("button",{type:"submit",disabled:g||o===(r??""),children:"Set status"})]}),e.jsx($,{error:i})]})}function Ze({item:t,anns:n,color:a}){const r=Ve(t),s=n.flatMap(ae),[o,p]=l.useState(null),[g,u]=l.useState(0),i=o?.w??t.width??Math.max(640,...s.map(c=>c.x+10)),x=o?.h??t.height??Math.max(480,...s.map(c=>c.y+10)),d=r!==null&&Ge(t),h=c=>c.frame==null||c.frame<=g&&g<=(c.endFrame??c.frame),j=d?n.filter(h):n,m=e.jsxs("svg",{viewBox:`0 0 ${i} ${x}`,role:"img","data-testid":"annotation-canvas",preserveAspectRatio:"none","aria-label":`${t.name} with ${n.length} annotations`,className:r?"overlay":void 0,children:[r?null:e.jsx("rect",{width:i,height:x,className:"placeholder"}),j.map(c=>e.jsx(Qe,{a:c,color:a(c.label)},c.id))]});return r?e.jsxs("div",{className:"stage",style:{aspectRatio:`${i} / ${x}`,maxWidth:`${i}px`},children:[d?e.jsx("video",{src:r,controls:!0,preload:"metadata","data-testid":"item-video","aria-label":t.name,onLoadedMetadata:c=>p({w:c.currentTarget.videoWidth,h:c.currentTarget.videoHeight}),onTimeUpdate:c=>u(Math.floor(c.currentTarget.currentTime*(t.fps??25))),onSeeked:c=>u(Math.floor(c.currentTarget.currentTime*(t.fps??25)))}):e.jsx("img",{src:r,alt:t.name,"data-testid":"item-image",onLoad:c=>p({w:c.currentTarget.naturalWidth,h:c.currentTarget.naturalHeight})}),m]}):m}function et({id:t}){const{data:n,error:a,loading:r}=k(Te,{id:t});if(a)return e.jsx($,{error:a});if(r||!n)return e.jsx(M,{what:"the item"});const s=n.item;if(!s)return e.jsx($,{error:new Error(`item ${t} not found`)});const o=new Map(s.dataset.labels.map(i=>[i.tag,i.color])),p=i=>o.get(i)??"#6b7280",g=s.annotations.nodes,u=g.filter(i=>i.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(R,{children:[e.jsx("a",{href:`#/projects/${s.dataset.project.id}`,children:s.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${s.dataset.id}`,children:s.dataset.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsx(Ze,{item:s,anns:g,color:p}),e.jsx("figcaption",{children:u.map(i=>e.jsx("span",{className:"chip","data-annotation-id":i.id,"data-type":i.type,style:{borderColor:p(i.label)},children:i.label},i.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",s.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:g.map(i=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:p(i.label)},"aria-hidden":"true"}),i.label," ",e.jsx("span",{className:"muted",children:i.type.toLowerCase()})]},i.id))}),e.jsx("h2",{children:"Task statuses"}),s.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:s.taskStatuses.map((i,x)=>e.jsx(Xe,{itemId:s.id,ts:i},i.task?.id??x))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:s.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:s.mimetype??s.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:s.width&&s.height?`${s.width} × ${s.height}`:"unknown"}),s.duration?e.jsxs(e.Fragment,{children:[e.jsx("dt",{children:"Duration"}),e.jsx("dd",{children:`${s.duration.toFixed(2)} s at ${s.fps??"?"} fps`})]}):null,e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:s.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(_,{value:s.metadata})]})]})]})}const tt=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],W=t=>t.toLowerCase().replace("_"," ");function V(t,n){const a=t.get(n.id);if(a&&a.version>n.version)return t;const r=new Map(t);return r.set(n.id,n),r}function ie({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function nt({projectId:t}){const{data:n,error:a,reload:r}=k(Le,{projectId:t}),[s,o]=l.useState(new Map),[p,g]=l.useState(null),[u,i]=l.useState(!1);if(l.useEffect(()=>{const h=le(()=>{i(!0),r()}),j=se(Fe,{projectId:t},m=>o(c=>V(c,m.executionsUpdated)),m=>{i(!1),g(m)});return()=>{j(),h()}},[t,r]),l.useEffect(()=>{n?.project&&o(h=>n.project.executions.nodes.reduce(V,h))},[n]),a)return e.jsx($,{error:a});if(!n)return e.jsx(M,{what:"executions"});const x=n.project;if(!x)return e.jsx($,{error:new Error(`project ${t} not found`)});const d=[...s.values()].sort((h,j)=>j.createdAt.localeCompare(h.createdAt));return e.jsxs("section",{children:[e.jsxs(R,{children:[e.jsx("a",{href:`#/projects/${x.id}`,children:x.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",d.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:u?"Live: changes appear as they commit.":"Connecting…"}),e.jsx($,{error:p}),e.jsx(st,{services:x.services.nodes,onStarted:h=>o(j=>V(j,h))}),e.jsx("div",{className:"board",children:tt.filter(h=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(h)||d.some(j=>j.status===h)).map(h=>{const j=d.filter(m=>m.status===h);return e.jsxs("section",{className:"column","data-status":h,"aria-labelledby":`col-${h}`,children:[e.jsxs("h2",{id:`col-${h}`,children:[W(h)," ",e.jsxs("span",{className:"count",children:["(",j.length,")"]})]}),e.jsx("ul",{className:"plain",children:j.map(m=>e.jsxs("li",{className:"excard","data-execution-id":m.id,"data-status":m.status,children:[e.jsxs("a",{href:`#/executions/${m.id}`,children:[m.service.name,".",m.functionName]}),e.jsx(ie,{e:m}),e.jsx("span",{className:"small muted",children:m.latestStatus.message??""})]},m.id))})]},h)})})]})}function st({services:t,onStarted:n}){const[a,r]=l.useState(t[0]?.id??""),[s,o]=l.useState("run"),[p,g]=l.useState("{}"),[u,i]=l.useState(null);async function x(d){d.preventDefault(),i(null);let h;try{h=JSON.parse(p||"{}")}catch(j){i(new Error(`input: not JSON (${j.message})`));return}try{const m=(await T(Me,{input:{serviceId:a,functionName:s,input:h}})).executionCreate;if(m.errors.length)throw new w(m.errors.map(c=>(c.field?`${c.field.join(".")}: `:"")+c.message).join("; "),m.errors[0].code);m.execution&&n(m.execution)}catch(j){i(j)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:x,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:a,onChange:d=>r(d.target.value),children:t.map(d=>e.jsxs("option",{value:d.id,children:[d.name,d.active?"":" (inactive)"]},d.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:s,onChange:d=>o(d.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:p,onChange:d=>g(d.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx($,{error:u})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const G=1e3,at=500,it=1e3,ee=18;function rt(t,n,a,r,s){let o=!1,p=null,g;async function u(){try{const i=n();for(;;){const x=await T(Ue,{id:t,first:at,after:p});if(o)return;const d=x.execution?.logs;if(!d)throw new w(`execution ${t} not found`,"NOT_FOUND");if(d.nodes.length&&a(d.nodes),p=d.pageInfo.endCursor??p,!d.pageInfo.hasNextPage)break}if(i){s();return}}catch(i){if(o)return;r(i)}o||(g=setTimeout(u,it))}return u(),()=>{o=!0,clearTimeout(g)}}const ot={STDOUT:"out",STDERR:"err",LOG:"log"};function ct({id:t,ended:n}){const[a,r]=l.useState([]),[s,o]=l.useState(0),[p,g]=l.useState(!1),[u,i]=l.useState(null),[x,d]=l.useState(!0),[h,j]=l.useState(0),m=l.useRef(null),c=l.useRef(n);c.current=n;const y=l.useRef(!0),S=l.useRef(0);l.useEffect(()=>{r([]),o(0),g(!1),i(null),j(0);const f=new Set;return rt(t,()=>c.current,I=>{const A=I.filter(C=>!f.has(C.id));A.length&&(A.forEach(C=>f.add(C.id)),y.current||j(C=>C+A.length),r(C=>{const L=C.concat(A);if(L.length<=G)return L;const q=L.length-G;return L.slice(0,q).forEach(H=>f.delete(H.id)),S.current+=q,o(H=>H+q),L.slice(q)}),i(null))},i,()=>g(!0))},[t]),l.useLayoutEffect(()=>{const f=m.current;f&&(y.current?f.scrollTop=f.scrollHeight:S.current&&(f.scrollTop=Math.max(0,f.scrollTop-S.current*ee)),S.current=0)},[a]);function N(f){if(y.current=f,d(f),f){j(0);const I=m.current;I&&(I.scrollTop=I.scrollHeight)}}function E(){const f=m.current,I=f.scrollHeight-f.scrollTop-f.clientHeight<ee/2;I!==y.current&&N(I)}return e.jsxs("div",{className:"logs",children:[e.jsxs("p",{className:"muted small","aria-live":"polite","data-testid":"log-state",children:[a.length+s," line",a.length+s===1?"":"s",s?` (the first ${s.toLocaleString("en")} not shown: the last ${G.toLocaleString("en")} are kept)`:"",p?" · ended":" · tailing",x?"":` · paused${h?`, ${h} new`:""} `,x?null:e.jsx("button",{type:"button",onClick:()=>N(!0),children:"Follow"})]}),e.jsx($,{error:u}),e.jsxs("div",{ref:m,className:"logbox",role:"log","aria-live":"off","aria-label":"Execution logs",tabIndex:0,onScroll:E,"data-following":x?"yes":"no",children:[a.map(f=>e.jsxs("div",{className:`logline ${f.stream.toLowerCase()}${f.level?` ${f.level.toLowerCase()}`:""}`,"data-log-id":f.id,"data-stream":f.stream,"data-level":f.level??"",children:[e.jsx("time",{dateTime:f.time,children:f.time.slice(11,23)}),e.jsx("span",{className:"tag",children:f.level??ot[f.stream]??f.stream.toLowerCase()}),e.jsx("span",{className:"text",children:f.text})]},f.id)),a.length?null:e.jsx("div",{className:"logline muted-line",children:p?"No output.":"No output yet."})]})]})}const J=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function lt({id:t}){const{data:n,error:a}=k(Pe,{id:t}),[r,s]=l.useState(null),[o,p]=l.useState(null);l.useEffect(()=>(s(null),se(ke,{id:t},x=>s(d=>!d||x.executionUpdated.version>=d.version?x.executionUpdated:d),p)),[t]);async function g(x){p(null);try{const d=x==="rerun"?(await T(Re,{id:t})).executionRerun:(await T(qe,{id:t})).executionTerminate;if(d.errors.length)throw new w(d.errors.map(h=>h.message).join("; "),d.errors[0].code);d.execution&&d.execution.id!==t&&(location.hash=`#/executions/${d.execution.id}`)}catch(d){p(d)}}if(a)return e.jsx($,{error:a});if(!n)return e.jsx(M,{what:"the execution"});const u=n.execution;if(!u)return e.jsx($,{error:new Error(`execution ${t} not found`)});const i=r&&r.version>=u.version?{...u,...r}:u;return e.jsxs("section",{children:[e.jsxs(R,{children:[e.jsx("a",{href:`#/projects/${i.project.id}`,children:i.project.name})," /"," ",e.jsx("a",{href:`#/projects/${i.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:i.id})]}),e.jsxs("h1",{children:[i.service.name,".",i.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:W(i.status)})," ",e.jsx(ie,{e:i})," ",i.progress,"% · attempt ",i.attempts," of ",i.maxAttempts,i.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>g("rerun"),disabled:!J.includes(i.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>g("terminate"),disabled:J.includes(i.status),children:"Terminate"})]}),e.jsx($,{error:o}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:i.statusLog.map((x,d)=>e.jsxs("tr",{children:[e.jsx("td",{children:x.timestamp}),e.jsx("td",{children:W(x.status)}),e.jsx("td",{className:"num",children:x.percentComplete??""}),e.jsx("td",{children:x.message??""})]},d))})]}),e.jsx("h2",{children:"Input"}),e.jsx(_,{value:i.input}),i.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(_,{value:i.output})]}):null,i.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(_,{value:i.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx(ct,{id:i.id,ended:J.includes(i.status)})]})}function dt({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(nt,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(Be,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(Ke,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(et,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(lt,{id:n[1]}):e.jsx(ze,{})}function ut(){const[t,n]=l.useState(z());l.useEffect(()=>ce(()=>n(z())),[]);const a=de();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>Q(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(dt,{route:a}):e.jsx(_e,{})})]})}re.createRoot(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx(ut,{})}));
