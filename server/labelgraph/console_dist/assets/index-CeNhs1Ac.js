import{a as d,j as e,c as ee}from"./index-Dqs7sZj5.js";import{c as te}from"./client-wkOhMJXj.js";const _="labelgraph.token",L="labelgraph.signedOut",B=new Set;function q(){return sessionStorage.getItem(_)}function H(t){t?sessionStorage.setItem(_,t):sessionStorage.removeItem(_),D?.dispose(),D=null,B.forEach(n=>n())}function ne(t){return B.add(t),()=>B.delete(t)}class b extends Error{constructor(n,a){super(n),this.code=a}code}function K(t){if(t.errors?.length){const n=t.errors[0],a=n.extensions?.code??null;throw a==="UNAUTHENTICATED"&&(sessionStorage.setItem(L,n.message),H(null)),new b(t.errors.map(r=>r.message).join("; "),a)}return t.data}async function w(t,n){const a=q(),r=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...a?{authorization:`Bearer ${a}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let s;try{s=await r.json()}catch{throw new b(`the gateway answered ${r.status} ${r.statusText}`,null)}return K(s)}let D=null;function se(){if(!D){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;D=te({url:t,connectionParams:()=>({authorization:`Bearer ${q()??""}`}),retryAttempts:5,lazy:!0})}return D}function Q(t,n,a,r){return se().subscribe({query:t.toString(),variables:n},{next:s=>{try{a(K(s))}catch(l){r(l)}},error:s=>{Array.isArray(s)?r(new b(s.map(l=>l.message).join("; "),null)):s instanceof CloseEvent?r(new b(`the subscription closed: ${s.reason||s.code}`,null)):r(new b(String(s?.message??s),null))},complete:()=>{}})}function T(t,n){const a=JSON.stringify(n),[r,s]=d.useState({data:null,error:null,loading:!0}),[l,m]=d.useState(0);d.useEffect(()=>{let u=!0;return s(o=>({...o,loading:!0})),w(t,JSON.parse(a)).then(o=>u&&s({data:o,error:null,loading:!1}),o=>u&&s({data:null,error:o,loading:!1})),()=>{u=!1}},[t,a,l]);const f=d.useCallback(()=>m(u=>u+1),[]);return{...r,reload:f}}function ae(){const[t,n]=d.useState(location.hash.slice(1)||"/");return d.useEffect(()=>{const a=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",a),()=>window.removeEventListener("hashchange",a)},[]),t}class y extends String{__apiType;value;__meta__;constructor(n,a){super(n),this.value=n,this.__meta__=a}toString(){return this.value}}new y(`
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
    `,{fragmentName:"ItemCard"});const ie=new y(`
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
    `,{fragmentName:"ExecutionFields"}),re=new y(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),oe=new y(`
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
    `),ce=new y(`
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
    `),le=new y(`
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
}`),de=new y(`
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
    `),ue=new y(`
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
}`),me=new y(`
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
}`),pe=new y(`
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
}`),he=new y(`
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
}`),xe=new y(`
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
}`),fe=new y(`
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
}`),je=new y(`
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
}`),ge={"\n  query Me {\n    me { id email name }\n  }\n":re,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":oe,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":ce,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n  }\n":le,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      taskStatuses { status task { id name } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame attributes }\n      }\n    }\n  }\n":de,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":ie,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":ue,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":me,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":pe,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":he,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":xe,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":fe,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":je};function $(t){return ge[t]??{}}const Ee=$(`
  query Me {
    me { id email name }
  }
`),ye=$(`
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
`),Ce=$(`
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
`),$e=$(`
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
`),ve=$(`
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
`);const Se=$(`
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
`),Ie=$(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),be=$(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),Ne=$(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),we=$(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ae=$(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),De=$(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`);function E({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function F({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function P({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function M({value:t}){return e.jsx("pre",{className:"json",children:JSON.stringify(t,null,2)})}function Te(){const[t,n]=d.useState(""),[a,r]=d.useState(null),[s,l]=d.useState(!1),m=sessionStorage.getItem(L);async function f(u){u.preventDefault(),l(!0),r(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await w(Ee),sessionStorage.removeItem(L),H(t.trim())}catch(o){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(L),r(o)}finally{l(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),m?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",m]}):null,e.jsxs("form",{onSubmit:f,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:u=>n(u.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:s,children:"Sign in"})]}),e.jsx(E,{error:a})]})}function Fe(){const{data:t,error:n,loading:a}=T(ye,{});return n?e.jsx(E,{error:n}):a||!t?e.jsx(F,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(r=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[r.name," ",e.jsx("span",{className:"muted",children:r.plan})]}),e.jsxs("p",{children:[r.projects.totalCount," project",r.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:r.projects.nodes.map(s=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${s.id}`,children:s.name})," ",e.jsxs("span",{className:"muted",children:[s.datasets.totalCount," dataset",s.datasets.totalCount===1?"":"s"]})]},s.id))})]},r.id))]})}function Pe({id:t}){const{data:n,error:a,loading:r}=T(Ce,{id:t});if(a)return e.jsx(E,{error:a});if(r||!n)return e.jsx(F,{what:"the project"});const s=n.project;return s?e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:"#/",children:s.organization.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),s.description?e.jsx("p",{children:s.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${s.id}/executions`,children:"Executions board"})," (",s.services.nodes.length," services)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",s.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:s.datasets.nodes.map(l=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${l.id}`,children:l.name}),l.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:l.itemsCount}),e.jsx("td",{className:"num",children:l.annotatedCount})]},l.id))})]})]}):e.jsx(E,{error:new Error(`project ${t} not found`)})}function ke(t){return t.thumbnailUrl??null}function Le(t){return t.url??null}const Me=100,J=168,I=156,k={dir:"",name:"",annotated:"",metaPath:"",metaValue:""};function qe(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.metaPath){let a=t.metaValue;try{a=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:a}]}return Object.keys(n).length?n:null}function Oe({id:t}){const[n,a]=d.useState(k),[r,s]=d.useState(k),[l,m]=d.useState(null),[f,u]=d.useState([]),[o,h]=d.useState(null),[i,x]=d.useState({end:null,more:!0}),[c,C]=d.useState(null),p=d.useRef(!1),j=d.useRef(0),v=d.useCallback(async(g,O)=>{if(p.current&&!O)return;p.current=!0;const R=O?++j.current:j.current;try{const U=await w($e,{id:t,first:Me,after:g,filter:qe(r)});if(R!==j.current)return;const N=U.dataset;if(!N)throw new b(`dataset ${t} not found`,"NOT_FOUND");m(N),h(N.items.totalCount),u(Z=>O?N.items.nodes:[...Z,...N.items.nodes]),x({end:N.items.pageInfo.endCursor??null,more:N.items.pageInfo.hasNextPage}),C(null)}catch(U){R===j.current&&C(U)}finally{R===j.current&&(p.current=!1)}},[t,r]);d.useEffect(()=>{u([]),h(null),v(null,!0)},[v]);function S(g){g.preventDefault(),s(n)}return e.jsxs("section",{children:[l?e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${l.project.id}`,children:l.project.name})," / ",e.jsx("span",{children:l.name})]}):null,e.jsx("h1",{children:l?.name??"Dataset"}),e.jsxs("form",{className:"filters",onSubmit:S,"aria-label":"Filter items",children:[e.jsx(A,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:g=>a({...n,dir:g.target.value})})}),e.jsx(A,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:g=>a({...n,name:g.target.value})})}),e.jsx(A,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:g=>a({...n,annotated:g.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(A,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:g=>a({...n,metaPath:g.target.value})})}),e.jsx(A,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:g=>a({...n,metaValue:g.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{a(k),s(k)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[o===null?"Loading items…":`${o.toLocaleString("en")} item${o===1?"":"s"}`,o!==null&&f.length<o?` (${f.length.toLocaleString("en")} loaded)`:""]}),e.jsx(E,{error:c}),e.jsx(Re,{items:f,more:i.more,onNeedMore:()=>i.more&&void v(i.end,!1)})]})}function A({id:t,label:n,children:a}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),a]})}function Re({items:t,more:n,onNeedMore:a}){const r=d.useRef(null),[s,l]=d.useState({top:0,width:800,height:600}),[m,f]=d.useState(0),u=Math.max(1,Math.floor(s.width/J)),o=Math.ceil(t.length/u),h=Math.max(0,Math.floor(s.top/I)-2),i=Math.min(o,Math.ceil((s.top+s.height)/I)+2),x=d.useCallback(()=>{const p=r.current;p&&l({top:p.scrollTop,width:p.clientWidth,height:p.clientHeight})},[]);d.useLayoutEffect(()=>{x();const p=new ResizeObserver(x);return r.current&&p.observe(r.current),()=>p.disconnect()},[x]),d.useEffect(()=>{n&&i*u>=t.length-u*2-1&&a()},[n,i,u,t.length,a]);function c(p){const j={ArrowRight:1,ArrowLeft:-1,ArrowDown:u,ArrowUp:-u,Home:-t.length,End:t.length}[p.key];if(j===void 0||!t.length)return;p.preventDefault();const v=Math.min(t.length-1,Math.max(0,m+j));f(v);const S=r.current,g=Math.floor(v/u)*I;g<S.scrollTop?S.scrollTop=g:g+I>S.scrollTop+S.clientHeight&&(S.scrollTop=g+I-S.clientHeight),requestAnimationFrame(()=>r.current?.querySelector(`[data-index="${v}"]`)?.focus())}const C=[];for(let p=h*u;p<Math.min(t.length,i*u);p++){const j=t[p],v=ke(j);C.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(p/u)*I,left:p%u*J},children:e.jsxs("a",{href:`#/items/${j.id}`,"data-index":p,"data-item-id":j.id,tabIndex:p===m?0:-1,onFocus:()=>f(p),children:[v?e.jsx("img",{src:v,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:j.type==="dir"?"📁":(j.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:j.name}),e.jsxs("span",{className:"muted small",children:[j.annotationsCount," annotation",j.annotationsCount===1?"":"s"]})]})},j.id))}return e.jsx("div",{ref:r,className:"grid",onScroll:x,onKeyDown:c,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:o*I+(n?I:0),position:"relative"},children:C})})}const Y=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function W(t){const n=t.coordinates;return Y(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(Y):[]}function Ue({a:t,color:n}){const a=W(t),r={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},s=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&a.length>=2){const[l,m]=a;return e.jsx("rect",{...r,x:Math.min(l.x,m.x),y:Math.min(l.y,m.y),width:Math.abs(m.x-l.x),height:Math.abs(m.y-l.y),fill:n,fillOpacity:.15,children:s})}return t.type==="POLYGON"&&a.length>=3?e.jsx("polygon",{...r,points:a.map(l=>`${l.x},${l.y}`).join(" "),fill:n,fillOpacity:.2,children:s}):t.type==="POLYLINE"&&a.length>=2?e.jsx("polyline",{...r,points:a.map(l=>`${l.x},${l.y}`).join(" "),fill:"none",children:s}):t.type==="POINT"&&a.length>=1?e.jsx("circle",{...r,cx:a[0].x,cy:a[0].y,r:5,fill:n,children:s}):null}function ze({id:t}){const{data:n,error:a,loading:r}=T(ve,{id:t});if(a)return e.jsx(E,{error:a});if(r||!n)return e.jsx(F,{what:"the item"});const s=n.item;if(!s)return e.jsx(E,{error:new Error(`item ${t} not found`)});const l=new Map(s.dataset.labels.map(c=>[c.tag,c.color])),m=c=>l.get(c)??"#6b7280",f=s.annotations.nodes,u=f.flatMap(W),o=s.width??Math.max(640,...u.map(c=>c.x+10)),h=s.height??Math.max(480,...u.map(c=>c.y+10)),i=Le(s),x=f.filter(c=>c.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${s.dataset.project.id}`,children:s.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${s.dataset.id}`,children:s.dataset.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsxs("svg",{viewBox:`0 0 ${o} ${h}`,role:"img","data-testid":"annotation-canvas","aria-label":`${s.name} with ${f.length} annotations`,children:[i?e.jsx("image",{href:i,width:o,height:h}):e.jsx("rect",{width:o,height:h,className:"placeholder"}),f.map(c=>e.jsx(Ue,{a:c,color:m(c.label)},c.id))]}),e.jsx("figcaption",{children:x.map(c=>e.jsx("span",{className:"chip","data-annotation-id":c.id,"data-type":c.type,style:{borderColor:m(c.label)},children:c.label},c.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",s.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:f.map(c=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:m(c.label)},"aria-hidden":"true"}),c.label," ",e.jsx("span",{className:"muted",children:c.type.toLowerCase()})]},c.id))}),e.jsx("h2",{children:"Task statuses"}),s.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:s.taskStatuses.map((c,C)=>e.jsxs("li",{children:[c.task?.name??"task",": ",c.status??"no status"]},C))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:s.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:s.mimetype??s.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:s.width&&s.height?`${s.width} × ${s.height}`:"unknown"}),e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:s.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(M,{value:s.metadata})]})]})]})}const _e=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],V=t=>t.toLowerCase().replace("_"," ");function z(t,n){const a=t.get(n.id);if(a&&a.version>n.version)return t;const r=new Map(t);return r.set(n.id,n),r}function X({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function Be({projectId:t}){const{data:n,error:a}=T(Se,{projectId:t}),[r,s]=d.useState(new Map),[l,m]=d.useState(null),[f,u]=d.useState(!1);if(d.useEffect(()=>{const i=Q(Ie,{projectId:t},x=>{u(!0),s(c=>z(c,x.executionsUpdated))},m);return u(!0),i},[t]),d.useEffect(()=>{n?.project&&s(i=>n.project.executions.nodes.reduce(z,i))},[n]),a)return e.jsx(E,{error:a});if(!n)return e.jsx(F,{what:"executions"});const o=n.project;if(!o)return e.jsx(E,{error:new Error(`project ${t} not found`)});const h=[...r.values()].sort((i,x)=>x.createdAt.localeCompare(i.createdAt));return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${o.id}`,children:o.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",h.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:f?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(E,{error:l}),e.jsx(Ve,{services:o.services.nodes,onStarted:i=>s(x=>z(x,i))}),e.jsx("div",{className:"board",children:_e.filter(i=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(i)||h.some(x=>x.status===i)).map(i=>{const x=h.filter(c=>c.status===i);return e.jsxs("section",{className:"column","data-status":i,"aria-labelledby":`col-${i}`,children:[e.jsxs("h2",{id:`col-${i}`,children:[V(i)," ",e.jsxs("span",{className:"count",children:["(",x.length,")"]})]}),e.jsx("ul",{className:"plain",children:x.map(c=>e.jsxs("li",{className:"excard","data-execution-id":c.id,"data-status":c.status,children:[e.jsxs("a",{href:`#/executions/${c.id}`,children:[c.service.name,".",c.functionName]}),e.jsx(X,{e:c}),e.jsx("span",{className:"small muted",children:c.latestStatus.message??""})]},c.id))})]},i)})})]})}function Ve({services:t,onStarted:n}){const[a,r]=d.useState(t[0]?.id??""),[s,l]=d.useState("run"),[m,f]=d.useState("{}"),[u,o]=d.useState(null);async function h(i){i.preventDefault(),o(null);let x;try{x=JSON.parse(m||"{}")}catch(c){o(new Error(`input: not JSON (${c.message})`));return}try{const C=(await w(we,{input:{serviceId:a,functionName:s,input:x}})).executionCreate;if(C.errors.length)throw new b(C.errors.map(p=>(p.field?`${p.field.join(".")}: `:"")+p.message).join("; "),C.errors[0].code);C.execution&&n(C.execution)}catch(c){o(c)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:h,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:a,onChange:i=>r(i.target.value),children:t.map(i=>e.jsxs("option",{value:i.id,children:[i.name,i.active?"":" (inactive)"]},i.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:s,onChange:i=>l(i.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:m,onChange:i=>f(i.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(E,{error:u})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const G=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function He({id:t}){const{data:n,error:a}=T(be,{id:t}),[r,s]=d.useState(null),[l,m]=d.useState(null);d.useEffect(()=>(s(null),Q(Ne,{id:t},h=>s(i=>!i||h.executionUpdated.version>=i.version?h.executionUpdated:i),m)),[t]);async function f(h){m(null);try{const i=h==="rerun"?(await w(Ae,{id:t})).executionRerun:(await w(De,{id:t})).executionTerminate;if(i.errors.length)throw new b(i.errors.map(x=>x.message).join("; "),i.errors[0].code);i.execution&&i.execution.id!==t&&(location.hash=`#/executions/${i.execution.id}`)}catch(i){m(i)}}if(a)return e.jsx(E,{error:a});if(!n)return e.jsx(F,{what:"the execution"});const u=n.execution;if(!u)return e.jsx(E,{error:new Error(`execution ${t} not found`)});const o=r&&r.version>=u.version?{...u,...r}:u;return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${o.project.id}`,children:o.project.name})," /"," ",e.jsx("a",{href:`#/projects/${o.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:o.id})]}),e.jsxs("h1",{children:[o.service.name,".",o.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:V(o.status)})," ",e.jsx(X,{e:o})," ",o.progress,"% · attempt ",o.attempts," of ",o.maxAttempts,o.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>f("rerun"),disabled:!G.includes(o.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>f("terminate"),disabled:G.includes(o.status),children:"Terminate"})]}),e.jsx(E,{error:l}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:o.statusLog.map((h,i)=>e.jsxs("tr",{children:[e.jsx("td",{children:h.timestamp}),e.jsx("td",{children:V(h.status)}),e.jsx("td",{className:"num",children:h.percentComplete??""}),e.jsx("td",{children:h.message??""})]},i))})]}),e.jsx("h2",{children:"Input"}),e.jsx(M,{value:o.input}),o.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(M,{value:o.output})]}):null,o.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(M,{value:o.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx("p",{className:"muted",children:"Execution logs are not in the schema yet; they will tail here."})]})}function Je({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(Be,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(Pe,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(Oe,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(ze,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(He,{id:n[1]}):e.jsx(Fe,{})}function Ye(){const[t,n]=d.useState(q());d.useEffect(()=>ne(()=>n(q())),[]);const a=ae();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>H(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(Je,{route:a}):e.jsx(Te,{})})]})}ee.createRoot(document.getElementById("root")).render(e.jsx(d.StrictMode,{children:e.jsx(Ye,{})}));
