import{a as d,j as e,c as ne}from"./index-Dqs7sZj5.js";import{c as se}from"./client-wkOhMJXj.js";const B="labelgraph.token",L="labelgraph.signedOut",V=new Set;function q(){return sessionStorage.getItem(B)}function J(t){t?sessionStorage.setItem(B,t):sessionStorage.removeItem(B),D?.dispose(),D=null,O=!1,V.forEach(n=>n())}function ae(t){return V.add(t),()=>V.delete(t)}class b extends Error{constructor(n,a){super(n),this.code=a}code}function Q(t){if(t.errors?.length){const n=t.errors[0],a=n.extensions?.code??null;throw a==="UNAUTHENTICATED"&&(sessionStorage.setItem(L,n.message),J(null)),new b(t.errors.map(i=>i.message).join("; "),a)}return t.data}async function w(t,n){const a=q(),i=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...a?{authorization:`Bearer ${a}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let s;try{s=await i.json()}catch{throw new b(`the gateway answered ${i.status} ${i.statusText}`,null)}return Q(s)}let D=null,O=!1;function W(){if(!D){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;D=se({url:t,connectionParams:()=>({authorization:`Bearer ${q()??""}`}),retryAttempts:5,lazy:!0,on:{connected:()=>{O=!0},closed:()=>{O=!1}}})}return D}function ie(t){const n=W();return O&&queueMicrotask(t),n.on("connected",t)}function X(t,n,a,i){return W().subscribe({query:t.toString(),variables:n},{next:s=>{try{a(Q(s))}catch(c){i(c)}},error:s=>{Array.isArray(s)?i(new b(s.map(c=>c.message).join("; "),null)):s instanceof CloseEvent?i(new b(`the subscription closed: ${s.reason||s.code}`,null)):i(new b(String(s?.message??s),null))},complete:()=>{}})}function T(t,n){const a=JSON.stringify(n),[i,s]=d.useState({data:null,error:null,loading:!0}),[c,x]=d.useState(0);d.useEffect(()=>{let u=!0;return s(r=>({...r,loading:!0})),w(t,JSON.parse(a)).then(r=>u&&s({data:r,error:null,loading:!1}),r=>u&&s({data:null,error:r,loading:!1})),()=>{u=!1}},[t,a,c]);const j=d.useCallback(()=>x(u=>u+1),[]);return{...i,reload:j}}function re(){const[t,n]=d.useState(location.hash.slice(1)||"/");return d.useEffect(()=>{const a=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",a),()=>window.removeEventListener("hashchange",a)},[]),t}class C extends String{__apiType;value;__meta__;constructor(n,a){super(n),this.value=n,this.__meta__=a}toString(){return this.value}}new C(`
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
}
    `,{fragmentName:"ItemCard"});const oe=new C(`
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
    `,{fragmentName:"ExecutionFields"}),ce=new C(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),le=new C(`
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
    `),de=new C(`
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
    `),ue=new C(`
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
}`),me=new C(`
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
    taskStatuses {
      status
      task {
        id
        name
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
        attributes
      }
    }
  }
}
    `),pe=new C(`
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
}`),he=new C(`
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
}`),xe=new C(`
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
}`),fe=new C(`
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
}`),je=new C(`
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
}`),ge=new C(`
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
}`),Ee=new C(`
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
}`),ye={"\n  query Me {\n    me { id email name }\n  }\n":ce,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":le,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":de,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n  }\n":ue,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      taskStatuses { status task { id name } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame attributes }\n      }\n    }\n  }\n":me,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":oe,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":pe,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":he,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":xe,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":fe,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":je,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":ge,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Ee};function $(t){return ye[t]??{}}const Ce=$(`
  query Me {
    me { id email name }
  }
`),$e=$(`
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
`),ve=$(`
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
`),Se=$(`
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
  }
`),Ie=$(`
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
      taskStatuses { status task { id name } }
      dataset { id name project { id name } labels { tag color displayName } }
      annotations(first: 500) {
        totalCount
        nodes { id type label coordinates frame attributes }
      }
    }
  }
`);$(`
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
`);const be=$(`
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
`),Ne=$(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),we=$(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),Ae=$(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),De=$(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Te=$(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Fe=$(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`);function y({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function F({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function P({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function M({value:t}){return e.jsx("pre",{className:"json",children:JSON.stringify(t,null,2)})}function Pe(){const[t,n]=d.useState(""),[a,i]=d.useState(null),[s,c]=d.useState(!1),x=sessionStorage.getItem(L);async function j(u){u.preventDefault(),c(!0),i(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await w(Ce),sessionStorage.removeItem(L),J(t.trim())}catch(r){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(L),i(r)}finally{c(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),x?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",x]}):null,e.jsxs("form",{onSubmit:j,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:u=>n(u.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:s,children:"Sign in"})]}),e.jsx(y,{error:a})]})}function ke(){const{data:t,error:n,loading:a}=T($e,{});return n?e.jsx(y,{error:n}):a||!t?e.jsx(F,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(i=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[i.name," ",e.jsx("span",{className:"muted",children:i.plan})]}),e.jsxs("p",{children:[i.projects.totalCount," project",i.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:i.projects.nodes.map(s=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${s.id}`,children:s.name})," ",e.jsxs("span",{className:"muted",children:[s.datasets.totalCount," dataset",s.datasets.totalCount===1?"":"s"]})]},s.id))})]},i.id))]})}function Le({id:t}){const{data:n,error:a,loading:i}=T(ve,{id:t});if(a)return e.jsx(y,{error:a});if(i||!n)return e.jsx(F,{what:"the project"});const s=n.project;return s?e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:"#/",children:s.organization.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),s.description?e.jsx("p",{children:s.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${s.id}/executions`,children:"Executions board"})," (",s.services.nodes.length," services)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",s.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:s.datasets.nodes.map(c=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${c.id}`,children:c.name}),c.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:c.itemsCount}),e.jsx("td",{className:"num",children:c.annotatedCount})]},c.id))})]})]}):e.jsx(y,{error:new Error(`project ${t} not found`)})}function Me(t){return t.thumbnailUrl??null}function qe(t){return t.url??null}const Oe=100,Y=168,I=156,k={dir:"",name:"",annotated:"",metaPath:"",metaValue:""};function Re(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.metaPath){let a=t.metaValue;try{a=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:a}]}return Object.keys(n).length?n:null}function Ue({id:t}){const[n,a]=d.useState(k),[i,s]=d.useState(k),[c,x]=d.useState(null),[j,u]=d.useState([]),[r,f]=d.useState(null),[l,m]=d.useState({end:null,more:!0}),[o,h]=d.useState(null),p=d.useRef(!1),g=d.useRef(0),v=d.useCallback(async(E,R)=>{if(p.current&&!R)return;p.current=!0;const U=R?++g.current:g.current;try{const z=await w(Se,{id:t,first:Oe,after:E,filter:Re(i)});if(U!==g.current)return;const N=z.dataset;if(!N)throw new b(`dataset ${t} not found`,"NOT_FOUND");x(N),f(N.items.totalCount),u(te=>R?N.items.nodes:[...te,...N.items.nodes]),m({end:N.items.pageInfo.endCursor??null,more:N.items.pageInfo.hasNextPage}),h(null)}catch(z){U===g.current&&h(z)}finally{U===g.current&&(p.current=!1)}},[t,i]);d.useEffect(()=>{u([]),f(null),v(null,!0)},[v]);function S(E){E.preventDefault(),s(n)}return e.jsxs("section",{children:[c?e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${c.project.id}`,children:c.project.name})," / ",e.jsx("span",{children:c.name})]}):null,e.jsx("h1",{children:c?.name??"Dataset"}),e.jsxs("form",{className:"filters",onSubmit:S,"aria-label":"Filter items",children:[e.jsx(A,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:E=>a({...n,dir:E.target.value})})}),e.jsx(A,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:E=>a({...n,name:E.target.value})})}),e.jsx(A,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:E=>a({...n,annotated:E.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(A,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:E=>a({...n,metaPath:E.target.value})})}),e.jsx(A,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:E=>a({...n,metaValue:E.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{a(k),s(k)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[r===null?"Loading items…":`${r.toLocaleString("en")} item${r===1?"":"s"}`,r!==null&&j.length<r?` (${j.length.toLocaleString("en")} loaded)`:""]}),e.jsx(y,{error:o}),e.jsx(ze,{items:j,more:l.more,onNeedMore:()=>l.more&&void v(l.end,!1)})]})}function A({id:t,label:n,children:a}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),a]})}function ze({items:t,more:n,onNeedMore:a}){const i=d.useRef(null),[s,c]=d.useState({top:0,width:800,height:600}),[x,j]=d.useState(0),u=Math.max(1,Math.floor(s.width/Y)),r=Math.ceil(t.length/u),f=Math.max(0,Math.floor(s.top/I)-2),l=Math.min(r,Math.ceil((s.top+s.height)/I)+2),m=d.useCallback(()=>{const p=i.current;p&&c({top:p.scrollTop,width:p.clientWidth,height:p.clientHeight})},[]);d.useLayoutEffect(()=>{m();const p=new ResizeObserver(m);return i.current&&p.observe(i.current),()=>p.disconnect()},[m]),d.useEffect(()=>{n&&l*u>=t.length-u*2-1&&a()},[n,l,u,t.length,a]);function o(p){const g={ArrowRight:1,ArrowLeft:-1,ArrowDown:u,ArrowUp:-u,Home:-t.length,End:t.length}[p.key];if(g===void 0||!t.length)return;p.preventDefault();const v=Math.min(t.length-1,Math.max(0,x+g));j(v);const S=i.current,E=Math.floor(v/u)*I;E<S.scrollTop?S.scrollTop=E:E+I>S.scrollTop+S.clientHeight&&(S.scrollTop=E+I-S.clientHeight),requestAnimationFrame(()=>i.current?.querySelector(`[data-index="${v}"]`)?.focus())}const h=[];for(let p=f*u;p<Math.min(t.length,l*u);p++){const g=t[p],v=Me(g);h.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(p/u)*I,left:p%u*Y},children:e.jsxs("a",{href:`#/items/${g.id}`,"data-index":p,"data-item-id":g.id,tabIndex:p===x?0:-1,onFocus:()=>j(p),children:[v?e.jsx("img",{src:v,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:g.type==="dir"?"📁":(g.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:g.name}),e.jsxs("span",{className:"muted small",children:[g.annotationsCount," annotation",g.annotationsCount===1?"":"s"]})]})},g.id))}return e.jsx("div",{ref:i,className:"grid",onScroll:m,onKeyDown:o,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:r*I+(n?I:0),position:"relative"},children:h})})}const G=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function Z(t){const n=t.coordinates;return G(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(G):[]}function _e({a:t,color:n}){const a=Z(t),i={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},s=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&a.length>=2){const[c,x]=a;return e.jsx("rect",{...i,x:Math.min(c.x,x.x),y:Math.min(c.y,x.y),width:Math.abs(x.x-c.x),height:Math.abs(x.y-c.y),fill:n,fillOpacity:.15,children:s})}return t.type==="POLYGON"&&a.length>=3?e.jsx("polygon",{...i,points:a.map(c=>`${c.x},${c.y}`).join(" "),fill:n,fillOpacity:.2,children:s}):t.type==="POLYLINE"&&a.length>=2?e.jsx("polyline",{...i,points:a.map(c=>`${c.x},${c.y}`).join(" "),fill:"none",children:s}):t.type==="POINT"&&a.length>=1?e.jsx("circle",{...i,cx:a[0].x,cy:a[0].y,r:5,fill:n,children:s}):null}function Be({id:t}){const{data:n,error:a,loading:i}=T(Ie,{id:t});if(a)return e.jsx(y,{error:a});if(i||!n)return e.jsx(F,{what:"the item"});const s=n.item;if(!s)return e.jsx(y,{error:new Error(`item ${t} not found`)});const c=new Map(s.dataset.labels.map(o=>[o.tag,o.color])),x=o=>c.get(o)??"#6b7280",j=s.annotations.nodes,u=j.flatMap(Z),r=s.width??Math.max(640,...u.map(o=>o.x+10)),f=s.height??Math.max(480,...u.map(o=>o.y+10)),l=qe(s),m=j.filter(o=>o.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${s.dataset.project.id}`,children:s.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${s.dataset.id}`,children:s.dataset.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsxs("svg",{viewBox:`0 0 ${r} ${f}`,role:"img","data-testid":"annotation-canvas","aria-label":`${s.name} with ${j.length} annotations`,children:[l?e.jsx("image",{href:l,width:r,height:f}):e.jsx("rect",{width:r,height:f,className:"placeholder"}),j.map(o=>e.jsx(_e,{a:o,color:x(o.label)},o.id))]}),e.jsx("figcaption",{children:m.map(o=>e.jsx("span",{className:"chip","data-annotation-id":o.id,"data-type":o.type,style:{borderColor:x(o.label)},children:o.label},o.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",s.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:j.map(o=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:x(o.label)},"aria-hidden":"true"}),o.label," ",e.jsx("span",{className:"muted",children:o.type.toLowerCase()})]},o.id))}),e.jsx("h2",{children:"Task statuses"}),s.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:s.taskStatuses.map((o,h)=>e.jsxs("li",{children:[o.task?.name??"task",": ",o.status??"no status"]},h))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:s.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:s.mimetype??s.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:s.width&&s.height?`${s.width} × ${s.height}`:"unknown"}),e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:s.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(M,{value:s.metadata})]})]})]})}const Ve=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],H=t=>t.toLowerCase().replace("_"," ");function _(t,n){const a=t.get(n.id);if(a&&a.version>n.version)return t;const i=new Map(t);return i.set(n.id,n),i}function ee({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function He({projectId:t}){const{data:n,error:a,reload:i}=T(be,{projectId:t}),[s,c]=d.useState(new Map),[x,j]=d.useState(null),[u,r]=d.useState(!1);if(d.useEffect(()=>{const m=ie(()=>{r(!0),i()}),o=X(Ne,{projectId:t},h=>c(p=>_(p,h.executionsUpdated)),h=>{r(!1),j(h)});return()=>{o(),m()}},[t,i]),d.useEffect(()=>{n?.project&&c(m=>n.project.executions.nodes.reduce(_,m))},[n]),a)return e.jsx(y,{error:a});if(!n)return e.jsx(F,{what:"executions"});const f=n.project;if(!f)return e.jsx(y,{error:new Error(`project ${t} not found`)});const l=[...s.values()].sort((m,o)=>o.createdAt.localeCompare(m.createdAt));return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${f.id}`,children:f.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",l.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:u?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(y,{error:x}),e.jsx(Je,{services:f.services.nodes,onStarted:m=>c(o=>_(o,m))}),e.jsx("div",{className:"board",children:Ve.filter(m=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(m)||l.some(o=>o.status===m)).map(m=>{const o=l.filter(h=>h.status===m);return e.jsxs("section",{className:"column","data-status":m,"aria-labelledby":`col-${m}`,children:[e.jsxs("h2",{id:`col-${m}`,children:[H(m)," ",e.jsxs("span",{className:"count",children:["(",o.length,")"]})]}),e.jsx("ul",{className:"plain",children:o.map(h=>e.jsxs("li",{className:"excard","data-execution-id":h.id,"data-status":h.status,children:[e.jsxs("a",{href:`#/executions/${h.id}`,children:[h.service.name,".",h.functionName]}),e.jsx(ee,{e:h}),e.jsx("span",{className:"small muted",children:h.latestStatus.message??""})]},h.id))})]},m)})})]})}function Je({services:t,onStarted:n}){const[a,i]=d.useState(t[0]?.id??""),[s,c]=d.useState("run"),[x,j]=d.useState("{}"),[u,r]=d.useState(null);async function f(l){l.preventDefault(),r(null);let m;try{m=JSON.parse(x||"{}")}catch(o){r(new Error(`input: not JSON (${o.message})`));return}try{const h=(await w(De,{input:{serviceId:a,functionName:s,input:m}})).executionCreate;if(h.errors.length)throw new b(h.errors.map(p=>(p.field?`${p.field.join(".")}: `:"")+p.message).join("; "),h.errors[0].code);h.execution&&n(h.execution)}catch(o){r(o)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:f,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:a,onChange:l=>i(l.target.value),children:t.map(l=>e.jsxs("option",{value:l.id,children:[l.name,l.active?"":" (inactive)"]},l.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:s,onChange:l=>c(l.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:x,onChange:l=>j(l.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(y,{error:u})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const K=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function Ye({id:t}){const{data:n,error:a}=T(we,{id:t}),[i,s]=d.useState(null),[c,x]=d.useState(null);d.useEffect(()=>(s(null),X(Ae,{id:t},f=>s(l=>!l||f.executionUpdated.version>=l.version?f.executionUpdated:l),x)),[t]);async function j(f){x(null);try{const l=f==="rerun"?(await w(Te,{id:t})).executionRerun:(await w(Fe,{id:t})).executionTerminate;if(l.errors.length)throw new b(l.errors.map(m=>m.message).join("; "),l.errors[0].code);l.execution&&l.execution.id!==t&&(location.hash=`#/executions/${l.execution.id}`)}catch(l){x(l)}}if(a)return e.jsx(y,{error:a});if(!n)return e.jsx(F,{what:"the execution"});const u=n.execution;if(!u)return e.jsx(y,{error:new Error(`execution ${t} not found`)});const r=i&&i.version>=u.version?{...u,...i}:u;return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${r.project.id}`,children:r.project.name})," /"," ",e.jsx("a",{href:`#/projects/${r.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:r.id})]}),e.jsxs("h1",{children:[r.service.name,".",r.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:H(r.status)})," ",e.jsx(ee,{e:r})," ",r.progress,"% · attempt ",r.attempts," of ",r.maxAttempts,r.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>j("rerun"),disabled:!K.includes(r.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>j("terminate"),disabled:K.includes(r.status),children:"Terminate"})]}),e.jsx(y,{error:c}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:r.statusLog.map((f,l)=>e.jsxs("tr",{children:[e.jsx("td",{children:f.timestamp}),e.jsx("td",{children:H(f.status)}),e.jsx("td",{className:"num",children:f.percentComplete??""}),e.jsx("td",{children:f.message??""})]},l))})]}),e.jsx("h2",{children:"Input"}),e.jsx(M,{value:r.input}),r.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(M,{value:r.output})]}):null,r.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(M,{value:r.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx("p",{className:"muted",children:"Execution logs are not in the schema yet; they will tail here."})]})}function Ge({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(He,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(Le,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(Ue,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(Be,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(Ye,{id:n[1]}):e.jsx(ke,{})}function Ke(){const[t,n]=d.useState(q());d.useEffect(()=>ae(()=>n(q())),[]);const a=re();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>J(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(Ge,{route:a}):e.jsx(Pe,{})})]})}ne.createRoot(document.getElementById("root")).render(e.jsx(d.StrictMode,{children:e.jsx(Ke,{})}));
