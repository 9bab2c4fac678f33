import{a as l,j as e,c as ne}from"./index-Dqs7sZj5.js";import{c as se}from"./client-wkOhMJXj.js";const B="labelgraph.token",L="labelgraph.signedOut",V=new Set;function q(){return sessionStorage.getItem(B)}function J(t){t?sessionStorage.setItem(B,t):sessionStorage.removeItem(B),D?.dispose(),D=null,R=!1,V.forEach(n=>n())}function ae(t){return V.add(t),()=>V.delete(t)}class C extends Error{constructor(n,a){super(n),this.code=a}code}function K(t){if(t.errors?.length){const n=t.errors[0],a=n.extensions?.code??null;throw a==="UNAUTHENTICATED"&&(sessionStorage.setItem(L,n.message),J(null)),new C(t.errors.map(r=>r.message).join("; "),a)}return t.data}async function w(t,n){const a=q(),r=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...a?{authorization:`Bearer ${a}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let s;try{s=await r.json()}catch{throw new C(`the gateway answered ${r.status} ${r.statusText}`,null)}return K(s)}let D=null,R=!1;function Q(){if(!D){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;D=se({url:t,connectionParams:()=>({authorization:`Bearer ${q()??""}`}),retryAttempts:5,lazy:!0,on:{connected:()=>{R=!0},closed:()=>{R=!1}}})}return D}function ie(t){const n=Q();return R&&queueMicrotask(t),n.on("connected",t)}function X(t,n,a,r){return Q().subscribe({query:t.toString(),variables:n},{next:s=>{try{a(K(s))}catch(c){r(c)}},error:s=>{Array.isArray(s)?r(new C(s.map(c=>c.message).join("; "),null)):s instanceof CloseEvent?r(new C(`the subscription closed: ${s.reason||s.code}`,null)):r(new C(String(s?.message??s),null))},complete:()=>{}})}function T(t,n){const a=JSON.stringify(n),[r,s]=l.useState({data:null,error:null,loading:!0}),[c,h]=l.useState(0);l.useEffect(()=>{let u=!0;return s(i=>({...i,loading:!0})),w(t,JSON.parse(a)).then(i=>u&&s({data:i,error:null,loading:!1}),i=>u&&s({data:null,error:i,loading:!1})),()=>{u=!1}},[t,a,c]);const f=l.useCallback(()=>h(u=>u+1),[]);return{...r,reload:f}}function re(){const[t,n]=l.useState(location.hash.slice(1)||"/");return l.useEffect(()=>{const a=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",a),()=>window.removeEventListener("hashchange",a)},[]),t}class S extends String{__apiType;value;__meta__;constructor(n,a){super(n),this.value=n,this.__meta__=a}toString(){return this.value}}new S(`
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
    `,{fragmentName:"ItemCard"});const oe=new S(`
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
    `,{fragmentName:"ExecutionFields"}),ce=new S(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),le=new S(`
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
    `),de=new S(`
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
    `),ue=new S(`
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
}`),me=new S(`
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
    `),pe=new S(`
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
}`),he=new S(`
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
}`),xe=new S(`
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
}`),fe=new S(`
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
}`),je=new S(`
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
}`),ge=new S(`
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
}`),ye=new S(`
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
}`),Ee=new S(`
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
    `),Se={"\n  query Me {\n    me { id email name }\n  }\n":ce,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":le,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":de,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n":ue,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n":me,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":oe,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":pe,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":he,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":xe,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":fe,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":je,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":ge,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":ye,"\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n":Ee};function b(t){return Se[t]??{}}const ve=b(`
  query Me {
    me { id email name }
  }
`),be=b(`
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
`),Ce=b(`
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
`),$e=b(`
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
`),Ie=b(`
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
`);const Ne=b(`
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
`),we=b(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),Ae=b(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),De=b(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),Te=b(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Fe=b(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),ke=b(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Pe=b(`
  mutation ItemStatusSet($input: ItemStatusSetInput!) {
    itemStatusSet(input: $input) {
      itemIds
      errors { field code message }
    }
  }
`);function E({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function F({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function k({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function M({value:t}){return e.jsx("pre",{className:"json",tabIndex:0,children:JSON.stringify(t,null,2)})}function Le(){const[t,n]=l.useState(""),[a,r]=l.useState(null),[s,c]=l.useState(!1),h=sessionStorage.getItem(L);async function f(u){u.preventDefault(),c(!0),r(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await w(ve),sessionStorage.removeItem(L),J(t.trim())}catch(i){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(L),r(i)}finally{c(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),h?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",h]}):null,e.jsxs("form",{onSubmit:f,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:u=>n(u.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:s,children:"Sign in"})]}),e.jsx(E,{error:a})]})}function Me(){const{data:t,error:n,loading:a}=T(be,{});return n?e.jsx(E,{error:n}):a||!t?e.jsx(F,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(r=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[r.name," ",e.jsx("span",{className:"muted",children:r.plan})]}),e.jsxs("p",{children:[r.projects.totalCount," project",r.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:r.projects.nodes.map(s=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${s.id}`,children:s.name})," ",e.jsxs("span",{className:"muted",children:[s.datasets.totalCount," dataset",s.datasets.totalCount===1?"":"s"]})]},s.id))})]},r.id))]})}function qe({id:t}){const{data:n,error:a,loading:r}=T(Ce,{id:t});if(a)return e.jsx(E,{error:a});if(r||!n)return e.jsx(F,{what:"the project"});const s=n.project;return s?e.jsxs("section",{children:[e.jsxs(k,{children:[e.jsx("a",{href:"#/",children:s.organization.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),s.description?e.jsx("p",{children:s.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${s.id}/executions`,children:"Executions board"})," (",s.services.nodes.length," services)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",s.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:s.datasets.nodes.map(c=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${c.id}`,children:c.name}),c.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:c.itemsCount}),e.jsx("td",{className:"num",children:c.annotatedCount})]},c.id))})]})]}):e.jsx(E,{error:new Error(`project ${t} not found`)})}function Re(t){return t.thumbnailUrl??null}function Ue(t){return t.url??null}function Oe(t){return(t.mimetype??"").startsWith("video/")}const ze=100,Y=168,I=156,P={dir:"",name:"",annotated:"",label:"",metaPath:"",metaValue:""};function _e(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.label&&(n.annotations={label:{eq:t.label}}),t.metaPath){let a=t.metaValue;try{a=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:a}]}return Object.keys(n).length?n:null}function Be({id:t}){const[n,a]=l.useState(P),[r,s]=l.useState(P),[c,h]=l.useState(null),[f,u]=l.useState([]),[i,x]=l.useState(null),[d,p]=l.useState({end:null,more:!0}),[g,m]=l.useState(null),o=l.useRef(!1),y=l.useRef(0),v=l.useCallback(async(j,U)=>{if(o.current&&!U)return;o.current=!0;const O=U?++y.current:y.current;try{const z=await w($e,{id:t,first:ze,after:j,filter:_e(r)});if(O!==y.current)return;const N=z.dataset;if(!N)throw new C(`dataset ${t} not found`,"NOT_FOUND");h(N),x(N.items.totalCount),u(te=>U?N.items.nodes:[...te,...N.items.nodes]),p({end:N.items.pageInfo.endCursor??null,more:N.items.pageInfo.hasNextPage}),m(null)}catch(z){O===y.current&&m(z)}finally{O===y.current&&(o.current=!1)}},[t,r]);l.useEffect(()=>{u([]),x(null),v(null,!0)},[v]);function $(j){j.preventDefault(),s(n)}return e.jsxs("section",{children:[c?e.jsxs(k,{children:[e.jsx("a",{href:`#/projects/${c.project.id}`,children:c.project.name})," / ",e.jsx("span",{children:c.name})]}):null,e.jsx("h1",{children:c?.name??"Dataset"}),e.jsxs("form",{className:"filters",onSubmit:$,"aria-label":"Filter items",children:[e.jsx(A,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:j=>a({...n,dir:j.target.value})})}),e.jsx(A,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:j=>a({...n,name:j.target.value})})}),e.jsx(A,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:j=>a({...n,annotated:j.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(A,{id:"f-label",label:"Label",children:e.jsxs("select",{id:"f-label",value:n.label,onChange:j=>a({...n,label:j.target.value}),children:[e.jsx("option",{value:"",children:"any"}),(c?.labels??[]).map(j=>e.jsx("option",{value:j.tag,children:j.tag},j.tag))]})}),e.jsx(A,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:j=>a({...n,metaPath:j.target.value})})}),e.jsx(A,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:j=>a({...n,metaValue:j.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{a(P),s(P)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[i===null?"Loading items…":`${i.toLocaleString("en")} item${i===1?"":"s"}`,i!==null&&f.length<i?` (${f.length.toLocaleString("en")} loaded)`:""]}),e.jsx(E,{error:g}),e.jsx(Ve,{items:f,more:d.more,onNeedMore:()=>d.more&&void v(d.end,!1)})]})}function A({id:t,label:n,children:a}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),a]})}function Ve({items:t,more:n,onNeedMore:a}){const r=l.useRef(null),[s,c]=l.useState({top:0,width:800,height:600}),[h,f]=l.useState(0),u=Math.max(1,Math.floor(s.width/Y)),i=Math.ceil(t.length/u),x=Math.max(0,Math.floor(s.top/I)-2),d=Math.min(i,Math.ceil((s.top+s.height)/I)+2),p=l.useCallback(()=>{const o=r.current;o&&c({top:o.scrollTop,width:o.clientWidth,height:o.clientHeight})},[]);l.useLayoutEffect(()=>{p();const o=new ResizeObserver(p);return r.current&&o.observe(r.current),()=>o.disconnect()},[p]),l.useEffect(()=>{n&&d*u>=t.length-u*2-1&&a()},[n,d,u,t.length,a]);function g(o){const y={ArrowRight:1,ArrowLeft:-1,ArrowDown:u,ArrowUp:-u,Home:-t.length,End:t.length}[o.key];if(y===void 0||!t.length)return;o.preventDefault();const v=Math.min(t.length-1,Math.max(0,h+y));f(v);const $=r.current,j=Math.floor(v/u)*I;j<$.scrollTop?$.scrollTop=j:j+I>$.scrollTop+$.clientHeight&&($.scrollTop=j+I-$.clientHeight),requestAnimationFrame(()=>r.current?.querySelector(`[data-index="${v}"]`)?.focus())}const m=[];for(let o=x*u;o<Math.min(t.length,d*u);o++){const y=t[o],v=Re(y);m.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(o/u)*I,left:o%u*Y},children:e.jsxs("a",{href:`#/items/${y.id}`,"data-index":o,"data-item-id":y.id,tabIndex:o===h?0:-1,onFocus:()=>f(o),children:[v?e.jsx("img",{src:v,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:y.type==="dir"?"📁":(y.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:y.name}),e.jsxs("span",{className:"muted small",children:[y.annotationsCount," annotation",y.annotationsCount===1?"":"s"]})]})},y.id))}return e.jsx("div",{ref:r,className:"grid",onScroll:p,onKeyDown:g,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:i*I+(n?I:0),position:"relative"},children:m})})}const G=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function Z(t){const n=t.coordinates;return G(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(G):[]}function He({a:t,color:n}){const a=Z(t),r={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},s=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&a.length>=2){const[c,h]=a;return e.jsx("rect",{...r,x:Math.min(c.x,h.x),y:Math.min(c.y,h.y),width:Math.abs(h.x-c.x),height:Math.abs(h.y-c.y),fill:n,fillOpacity:.15,children:s})}return t.type==="POLYGON"&&a.length>=3?e.jsx("polygon",{...r,points:a.map(c=>`${c.x},${c.y}`).join(" "),fill:n,fillOpacity:.2,children:s}):t.type==="POLYLINE"&&a.length>=2?e.jsx("polyline",{...r,points:a.map(c=>`${c.x},${c.y}`).join(" "),fill:"none",children:s}):t.type==="POINT"&&a.length>=1?e.jsx("circle",{...r,cx:a[0].x,cy:a[0].y,r:5,fill:n,children:s}):null}function Je({itemId:t,ts:n}){const a=n.task,[r,s]=l.useState(n.status??null),[c,h]=l.useState(n.status??""),[f,u]=l.useState(!1),[i,x]=l.useState(null);if(!a)return e.jsxs("li",{children:["task: ",r??"no status"]});const d=`status-${a.id}`,p=a.availableActions.find(m=>m.action===r);async function g(m){m.preventDefault(),u(!0);try{const o=c===""?null:c,v=(await w(Pe,{input:{taskId:a.id,itemId:t,status:o}})).itemStatusSet.errors[0];v?x(new C(v.message,v.code)):(s(o),x(null))}catch(o){x(o)}finally{u(!1)}}return e.jsxs("li",{"data-task-id":a.id,children:[e.jsxs("form",{className:"status-form",onSubmit:g,"aria-label":`Status in ${a.name}`,children:[e.jsxs("span",{children:[a.name,": "]}),p?e.jsx("span",{className:"swatch",style:{background:p.color},"aria-hidden":"true"}):null,e.jsx("strong",{"data-testid":"task-status",children:p?.displayName??r??"no status"})," ",e.jsx("label",{htmlFor:d,className:"visually-hidden",children:`New status in ${a.name}`}),e.jsxs("select",{id:d,value:c,onChange:m=>h(m.target.value),disabled:f,children:[e.jsx("option",{value:"",children:"no status"}),a.availableActions.map(m=>e.jsx("option",{value:m.action,children:m.displayName},m.action))]})," ",e.jsx("button",{type:"submit",disabled:f||c===(r??""),children:"Set status"})]}),e.jsx(E,{error:i})]})}function Ye({item:t,anns:n,color:a}){const r=Ue(t),s=n.flatMap(Z),[c,h]=l.useState(null),[f,u]=l.useState(0),i=c?.w??t.width??Math.max(640,...s.map(o=>o.x+10)),x=c?.h??t.height??Math.max(480,...s.map(o=>o.y+10)),d=r!==null&&Oe(t),p=o=>o.frame==null||o.frame<=f&&f<=(o.endFrame??o.frame),g=d?n.filter(p):n,m=e.jsxs("svg",{viewBox:`0 0 ${i} ${x}`,role:"img","data-testid":"annotation-canvas",preserveAspectRatio:"none","aria-label":`${t.name} with ${n.length} annotations`,className:r?"overlay":void 0,children:[r?null:e.jsx("rect",{width:i,height:x,className:"placeholder"}),g.map(o=>e.jsx(He,{a:o,color:a(o.label)},o.id))]});return r?e.jsxs("div",{className:"stage",style:{aspectRatio:`${i} / ${x}`,maxWidth:`${i}px`},children:[d?e.jsx("video",{src:r,controls:!0,preload:"metadata","data-testid":"item-video","aria-label":t.name,onLoadedMetadata:o=>h({w:o.currentTarget.videoWidth,h:o.currentTarget.videoHeight}),onTimeUpdate:o=>u(Math.floor(o.currentTarget.currentTime*(t.fps??25))),onSeeked:o=>u(Math.floor(o.currentTarget.currentTime*(t.fps??25)))}):e.jsx("img",{src:r,alt:t.name,"data-testid":"item-image",onLoad:o=>h({w:o.currentTarget.naturalWidth,h:o.currentTarget.naturalHeight})}),m]}):m}function Ge({id:t}){const{data:n,error:a,loading:r}=T(Ie,{id:t});if(a)return e.jsx(E,{error:a});if(r||!n)return e.jsx(F,{what:"the item"});const s=n.item;if(!s)return e.jsx(E,{error:new Error(`item ${t} not found`)});const c=new Map(s.dataset.labels.map(i=>[i.tag,i.color])),h=i=>c.get(i)??"#6b7280",f=s.annotations.nodes,u=f.filter(i=>i.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(k,{children:[e.jsx("a",{href:`#/projects/${s.dataset.project.id}`,children:s.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${s.dataset.id}`,children:s.dataset.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsx(Ye,{item:s,anns:f,color:h}),e.jsx("figcaption",{children:u.map(i=>e.jsx("span",{className:"chip","data-annotation-id":i.id,"data-type":i.type,style:{borderColor:h(i.label)},children:i.label},i.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",s.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:f.map(i=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:h(i.label)},"aria-hidden":"true"}),i.label," ",e.jsx("span",{className:"muted",children:i.type.toLowerCase()})]},i.id))}),e.jsx("h2",{children:"Task statuses"}),s.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:s.taskStatuses.map((i,x)=>e.jsx(Je,{itemId:s.id,ts:i},i.task?.id??x))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:s.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:s.mimetype??s.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:s.width&&s.height?`${s.width} × ${s.height}`:"unknown"}),s.duration?e.jsxs(e.Fragment,{children:[e.jsx("dt",{children:"Duration"}),e.jsx("dd",{children:`${s.duration.toFixed(2)} s at ${s.fps??"?"} fps`})]}):null,e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:s.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(M,{value:s.metadata})]})]})]})}const We=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],H=t=>t.toLowerCase().replace("_"," ");function _(t,n){const a=t.get(n.id);if(a&&a.version>n.version)return t;const r=new Map(t);return r.set(n.id,n),r}function ee({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function Ke({projectId:t}){const{data:n,error:a,reload:r}=T(Ne,{projectId:t}),[s,c]=l.useState(new Map),[h,f]=l.useState(null),[u,i]=l.useState(!1);if(l.useEffect(()=>{const p=ie(()=>{i(!0),r()}),g=X(we,{projectId:t},m=>c(o=>_(o,m.executionsUpdated)),m=>{i(!1),f(m)});return()=>{g(),p()}},[t,r]),l.useEffect(()=>{n?.project&&c(p=>n.project.executions.nodes.reduce(_,p))},[n]),a)return e.jsx(E,{error:a});if(!n)return e.jsx(F,{what:"executions"});const x=n.project;if(!x)return e.jsx(E,{error:new Error(`project ${t} not found`)});const d=[...s.values()].sort((p,g)=>g.createdAt.localeCompare(p.createdAt));return e.jsxs("section",{children:[e.jsxs(k,{children:[e.jsx("a",{href:`#/projects/${x.id}`,children:x.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",d.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:u?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(E,{error:h}),e.jsx(Qe,{services:x.services.nodes,onStarted:p=>c(g=>_(g,p))}),e.jsx("div",{className:"board",children:We.filter(p=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(p)||d.some(g=>g.status===p)).map(p=>{const g=d.filter(m=>m.status===p);return e.jsxs("section",{className:"column","data-status":p,"aria-labelledby":`col-${p}`,children:[e.jsxs("h2",{id:`col-${p}`,children:[H(p)," ",e.jsxs("span",{className:"count",children:["(",g.length,")"]})]}),e.jsx("ul",{className:"plain",children:g.map(m=>e.jsxs("li",{className:"excard","data-execution-id":m.id,"data-status":m.status,children:[e.jsxs("a",{href:`#/executions/${m.id}`,children:[m.service.name,".",m.functionName]}),e.jsx(ee,{e:m}),e.jsx("span",{className:"small muted",children:m.latestStatus.message??""})]},m.id))})]},p)})})]})}function Qe({services:t,onStarted:n}){const[a,r]=l.useState(t[0]?.id??""),[s,c]=l.useState("run"),[h,f]=l.useState("{}"),[u,i]=l.useState(null);async function x(d){d.preventDefault(),i(null);let p;try{p=JSON.parse(h||"{}")}catch(g){i(new Error(`input: not JSON (${g.message})`));return}try{const m=(await w(Te,{input:{serviceId:a,functionName:s,input:p}})).executionCreate;if(m.errors.length)throw new C(m.errors.map(o=>(o.field?`${o.field.join(".")}: `:"")+o.message).join("; "),m.errors[0].code);m.execution&&n(m.execution)}catch(g){i(g)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:x,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:a,onChange:d=>r(d.target.value),children:t.map(d=>e.jsxs("option",{value:d.id,children:[d.name,d.active?"":" (inactive)"]},d.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:s,onChange:d=>c(d.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:h,onChange:d=>f(d.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(E,{error:u})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const W=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function Xe({id:t}){const{data:n,error:a}=T(Ae,{id:t}),[r,s]=l.useState(null),[c,h]=l.useState(null);l.useEffect(()=>(s(null),X(De,{id:t},x=>s(d=>!d||x.executionUpdated.version>=d.version?x.executionUpdated:d),h)),[t]);async function f(x){h(null);try{const d=x==="rerun"?(await w(Fe,{id:t})).executionRerun:(await w(ke,{id:t})).executionTerminate;if(d.errors.length)throw new C(d.errors.map(p=>p.message).join("; "),d.errors[0].code);d.execution&&d.execution.id!==t&&(location.hash=`#/executions/${d.execution.id}`)}catch(d){h(d)}}if(a)return e.jsx(E,{error:a});if(!n)return e.jsx(F,{what:"the execution"});const u=n.execution;if(!u)return e.jsx(E,{error:new Error(`execution ${t} not found`)});const i=r&&r.version>=u.version?{...u,...r}:u;return e.jsxs("section",{children:[e.jsxs(k,{children:[e.jsx("a",{href:`#/projects/${i.project.id}`,children:i.project.name})," /"," ",e.jsx("a",{href:`#/projects/${i.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:i.id})]}),e.jsxs("h1",{children:[i.service.name,".",i.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:H(i.status)})," ",e.jsx(ee,{e:i})," ",i.progress,"% · attempt ",i.attempts," of ",i.maxAttempts,i.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>f("rerun"),disabled:!W.includes(i.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>f("terminate"),disabled:W.includes(i.status),children:"Terminate"})]}),e.jsx(E,{error:c}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:i.statusLog.map((x,d)=>e.jsxs("tr",{children:[e.jsx("td",{children:x.timestamp}),e.jsx("td",{children:H(x.status)}),e.jsx("td",{className:"num",children:x.percentComplete??""}),e.jsx("td",{children:x.message??""})]},d))})]}),e.jsx("h2",{children:"Input"}),e.jsx(M,{value:i.input}),i.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(M,{value:i.output})]}):null,i.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(M,{value:i.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx("p",{className:"muted",children:"Execution logs are not in the schema yet; they will tail here."})]})}function Ze({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(Ke,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(qe,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(Be,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(Ge,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(Xe,{id:n[1]}):e.jsx(Me,{})}function et(){const[t,n]=l.useState(q());l.useEffect(()=>ae(()=>n(q())),[]);const a=re();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>J(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(Ze,{route:a}):e.jsx(Le,{})})]})}ne.createRoot(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx(et,{})}));
