import{a as d,j as e,c as X}from"./index-Dqs7sZj5.js";import{c as Z}from"./client-wkOhMJXj.js";const U="labelgraph.token",z=new Set;function L(){return sessionStorage.getItem(U)}function B(t){t?sessionStorage.setItem(U,t):sessionStorage.removeItem(U),N?.dispose(),N=null,z.forEach(n=>n())}function ee(t){return z.add(t),()=>z.delete(t)}class I extends Error{constructor(n,a){super(n),this.code=a}code}function Y(t){if(t.errors?.length){const a=t.errors[0].extensions?.code??null;throw a==="UNAUTHENTICATED"&&B(null),new I(t.errors.map(r=>r.message).join("; "),a)}return t.data}async function A(t,n){const a=L(),r=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...a?{authorization:`Bearer ${a}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let s;try{s=await r.json()}catch{throw new I(`the gateway answered ${r.status} ${r.statusText}`,null)}return Y(s)}let N=null;function te(){if(!N){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;N=Z({url:t,connectionParams:()=>({authorization:`Bearer ${L()??""}`}),retryAttempts:5,lazy:!0})}return N}function G(t,n,a,r){return te().subscribe({query:t.toString(),variables:n},{next:s=>{try{a(Y(s))}catch(l){r(l)}},error:s=>{Array.isArray(s)?r(new I(s.map(l=>l.message).join("; "),null)):s instanceof CloseEvent?r(new I(`the subscription closed: ${s.reason||s.code}`,null)):r(new I(String(s?.message??s),null))},complete:()=>{}})}function D(t,n){const a=JSON.stringify(n),[r,s]=d.useState({data:null,error:null,loading:!0}),[l,m]=d.useState(0);d.useEffect(()=>{let u=!0;return s(o=>({...o,loading:!0})),A(t,JSON.parse(a)).then(o=>u&&s({data:o,error:null,loading:!1}),o=>u&&s({data:null,error:o,loading:!1})),()=>{u=!1}},[t,a,l]);const j=d.useCallback(()=>m(u=>u+1),[]);return{...r,reload:j}}function ne(){const[t,n]=d.useState(location.hash.slice(1)||"/");return d.useEffect(()=>{const a=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",a),()=>window.removeEventListener("hashchange",a)},[]),t}class y extends String{__apiType;value;__meta__;constructor(n,a){super(n),this.value=n,this.__meta__=a}toString(){return this.value}}new y(`
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
    `,{fragmentName:"ItemCard"});const se=new y(`
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
    `,{fragmentName:"ExecutionFields"}),ae=new y(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),ie=new y(`
    query Organizations {
  organizations(first: 100) {
    totalCount
    nodes {
      id
      name
      plan
      projects(first: 100) {
        totalCount
        nodes {
          id
          name
          description
          datasets {
            totalCount
          }
        }
      }
    }
  }
}
    `),re=new y(`
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
    `),oe=new y(`
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
}`),ce=new y(`
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
    `),le=new y(`
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
}`),de=new y(`
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
}`),ue=new y(`
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
}`),me=new y(`
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
}`),pe=new y(`
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
}`),he=new y(`
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
}`),xe=new y(`
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
}`),je={"\n  query Me {\n    me { id email name }\n  }\n":ae,"\n  query Organizations {\n    organizations(first: 100) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 100) {\n          totalCount\n          nodes { id name description datasets { totalCount } }\n        }\n      }\n    }\n  }\n":ie,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":re,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n  }\n":oe,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      taskStatuses { status task { id name } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame attributes }\n      }\n    }\n  }\n":ce,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":se,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":le,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":de,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":ue,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":me,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":pe,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":he,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":xe};function $(t){return je[t]??{}}const fe=$(`
  query Me {
    me { id email name }
  }
`),ge=$(`
  query Organizations {
    organizations(first: 100) {
      totalCount
      nodes {
        id
        name
        plan
        projects(first: 100) {
          totalCount
          nodes { id name description datasets { totalCount } }
        }
      }
    }
  }
`),Ee=$(`
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
`),ye=$(`
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
`),Ce=$(`
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
`);const $e=$(`
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
`),be=$(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),ve=$(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),Se=$(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),Ie=$(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),we=$(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ae=$(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`);function E({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function T({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function F({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function k({value:t}){return e.jsx("pre",{className:"json",children:JSON.stringify(t,null,2)})}function Ne(){const[t,n]=d.useState(""),[a,r]=d.useState(null),[s,l]=d.useState(!1),m=sessionStorage.getItem("labelgraph.signedOut");async function j(u){u.preventDefault(),l(!0),r(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await A(fe),B(t.trim())}catch(o){sessionStorage.removeItem("labelgraph.token"),r(o)}finally{l(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),m?e.jsx("p",{className:"muted",children:m}):null,e.jsxs("form",{onSubmit:j,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:u=>n(u.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:s,children:"Sign in"})]}),e.jsx(E,{error:a})]})}function De(){const{data:t,error:n,loading:a}=D(ge,{});return n?e.jsx(E,{error:n}):a||!t?e.jsx(T,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(r=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[r.name," ",e.jsx("span",{className:"muted",children:r.plan})]}),e.jsxs("p",{children:[r.projects.totalCount," project",r.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:r.projects.nodes.map(s=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${s.id}`,children:s.name})," ",e.jsxs("span",{className:"muted",children:[s.datasets.totalCount," dataset",s.datasets.totalCount===1?"":"s"]})]},s.id))})]},r.id))]})}function Te({id:t}){const{data:n,error:a,loading:r}=D(Ee,{id:t});if(a)return e.jsx(E,{error:a});if(r||!n)return e.jsx(T,{what:"the project"});const s=n.project;return s?e.jsxs("section",{children:[e.jsxs(F,{children:[e.jsx("a",{href:"#/",children:s.organization.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),s.description?e.jsx("p",{children:s.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${s.id}/executions`,children:"Executions board"})," (",s.services.nodes.length," services)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",s.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:s.datasets.nodes.map(l=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${l.id}`,children:l.name}),l.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:l.itemsCount}),e.jsx("td",{className:"num",children:l.annotatedCount})]},l.id))})]})]}):e.jsx(E,{error:new Error(`project ${t} not found`)})}function Fe(t){return t.thumbnailUrl??null}function Pe(t){return t.url??null}const ke=100,V=168,S=156,P={dir:"",name:"",annotated:"",metaPath:"",metaValue:""};function Le(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.metaPath){let a=t.metaValue;try{a=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:a}]}return Object.keys(n).length?n:null}function Me({id:t}){const[n,a]=d.useState(P),[r,s]=d.useState(P),[l,m]=d.useState(null),[j,u]=d.useState([]),[o,h]=d.useState(null),[i,x]=d.useState({end:null,more:!0}),[c,C]=d.useState(null),p=d.useRef(!1),f=d.useRef(0),b=d.useCallback(async(g,M)=>{if(p.current&&!M)return;p.current=!0;const q=M?++f.current:f.current;try{const O=await A(ye,{id:t,first:ke,after:g,filter:Le(r)});if(q!==f.current)return;const w=O.dataset;if(!w)throw new I(`dataset ${t} not found`,"NOT_FOUND");m(w),h(w.items.totalCount),u(W=>M?w.items.nodes:[...W,...w.items.nodes]),x({end:w.items.pageInfo.endCursor??null,more:w.items.pageInfo.hasNextPage}),C(null)}catch(O){q===f.current&&C(O)}finally{q===f.current&&(p.current=!1)}},[t,r]);d.useEffect(()=>{u([]),h(null),b(null,!0)},[b]);function v(g){g.preventDefault(),s(n)}return e.jsxs("section",{children:[l?e.jsxs(F,{children:[e.jsx("a",{href:`#/projects/${l.project.id}`,children:l.project.name})," / ",e.jsx("span",{children:l.name})]}):null,e.jsx("h1",{children:l?.name??"Dataset"}),e.jsxs("form",{className:"filters",onSubmit:v,"aria-label":"Filter items",children:[e.jsxs("label",{children:["Directory ",e.jsx("input",{value:n.dir,placeholder:"/train or /train/**",onChange:g=>a({...n,dir:g.target.value})})]}),e.jsxs("label",{children:["Name ",e.jsx("input",{value:n.name,placeholder:"*.jpg",onChange:g=>a({...n,name:g.target.value})})]}),e.jsxs("label",{children:["Annotated ",e.jsxs("select",{value:n.annotated,onChange:g=>a({...n,annotated:g.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})]}),e.jsxs("label",{children:["Metadata path ",e.jsx("input",{value:n.metaPath,placeholder:"split",onChange:g=>a({...n,metaPath:g.target.value})})]}),e.jsxs("label",{children:["= value ",e.jsx("input",{value:n.metaValue,placeholder:'"train" or 3',onChange:g=>a({...n,metaValue:g.target.value})})]}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{a(P),s(P)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[o===null?"Loading items…":`${o.toLocaleString("en")} item${o===1?"":"s"}`,o!==null&&j.length<o?` (${j.length.toLocaleString("en")} loaded)`:""]}),e.jsx(E,{error:c}),e.jsx(qe,{items:j,more:i.more,onNeedMore:()=>i.more&&void b(i.end,!1)})]})}function qe({items:t,more:n,onNeedMore:a}){const r=d.useRef(null),[s,l]=d.useState({top:0,width:800,height:600}),[m,j]=d.useState(0),u=Math.max(1,Math.floor(s.width/V)),o=Math.ceil(t.length/u),h=Math.max(0,Math.floor(s.top/S)-2),i=Math.min(o,Math.ceil((s.top+s.height)/S)+2),x=d.useCallback(()=>{const p=r.current;p&&l({top:p.scrollTop,width:p.clientWidth,height:p.clientHeight})},[]);d.useLayoutEffect(()=>{x();const p=new ResizeObserver(x);return r.current&&p.observe(r.current),()=>p.disconnect()},[x]),d.useEffect(()=>{n&&i*u>=t.length-u*2-1&&a()},[n,i,u,t.length,a]);function c(p){const f={ArrowRight:1,ArrowLeft:-1,ArrowDown:u,ArrowUp:-u,Home:-t.length,End:t.length}[p.key];if(f===void 0||!t.length)return;p.preventDefault();const b=Math.min(t.length-1,Math.max(0,m+f));j(b);const v=r.current,g=Math.floor(b/u)*S;g<v.scrollTop?v.scrollTop=g:g+S>v.scrollTop+v.clientHeight&&(v.scrollTop=g+S-v.clientHeight),requestAnimationFrame(()=>r.current?.querySelector(`[data-index="${b}"]`)?.focus())}const C=[];for(let p=h*u;p<Math.min(t.length,i*u);p++){const f=t[p],b=Fe(f);C.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(p/u)*S,left:p%u*V},children:e.jsxs("a",{href:`#/items/${f.id}`,"data-index":p,"data-item-id":f.id,tabIndex:p===m?0:-1,onFocus:()=>j(p),"aria-label":`${f.name}${f.annotated?`, ${f.annotationsCount} annotations`:", not annotated"}`,children:[b?e.jsx("img",{src:b,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:f.type==="dir"?"📁":(f.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:f.name}),e.jsxs("span",{className:"muted small",children:[f.annotationsCount," ann."]})]})},f.id))}return e.jsx("div",{ref:r,className:"grid",onScroll:x,onKeyDown:c,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:o*S+(n?S:0),position:"relative"},children:C})})}const H=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function K(t){const n=t.coordinates;return H(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(H):[]}function Oe({a:t,color:n}){const a=K(t),r={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},s=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&a.length>=2){const[l,m]=a;return e.jsx("rect",{...r,x:Math.min(l.x,m.x),y:Math.min(l.y,m.y),width:Math.abs(m.x-l.x),height:Math.abs(m.y-l.y),fill:n,fillOpacity:.15,children:s})}return t.type==="POLYGON"&&a.length>=3?e.jsx("polygon",{...r,points:a.map(l=>`${l.x},${l.y}`).join(" "),fill:n,fillOpacity:.2,children:s}):t.type==="POLYLINE"&&a.length>=2?e.jsx("polyline",{...r,points:a.map(l=>`${l.x},${l.y}`).join(" "),fill:"none",children:s}):t.type==="POINT"&&a.length>=1?e.jsx("circle",{...r,cx:a[0].x,cy:a[0].y,r:5,fill:n,children:s}):null}function Re({id:t}){const{data:n,error:a,loading:r}=D(Ce,{id:t});if(a)return e.jsx(E,{error:a});if(r||!n)return e.jsx(T,{what:"the item"});const s=n.item;if(!s)return e.jsx(E,{error:new Error(`item ${t} not found`)});const l=new Map(s.dataset.labels.map(c=>[c.tag,c.color])),m=c=>l.get(c)??"#6b7280",j=s.annotations.nodes,u=j.flatMap(K),o=s.width??Math.max(640,...u.map(c=>c.x+10)),h=s.height??Math.max(480,...u.map(c=>c.y+10)),i=Pe(s),x=j.filter(c=>c.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(F,{children:[e.jsx("a",{href:`#/projects/${s.dataset.project.id}`,children:s.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${s.dataset.id}`,children:s.dataset.name})," / ",e.jsx("span",{children:s.name})]}),e.jsx("h1",{children:s.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsxs("svg",{viewBox:`0 0 ${o} ${h}`,role:"img","data-testid":"annotation-canvas","aria-label":`${s.name} with ${j.length} annotations`,children:[i?e.jsx("image",{href:i,width:o,height:h}):e.jsx("rect",{width:o,height:h,className:"placeholder"}),j.map(c=>e.jsx(Oe,{a:c,color:m(c.label)},c.id))]}),e.jsx("figcaption",{children:x.map(c=>e.jsx("span",{className:"chip","data-annotation-id":c.id,"data-type":c.type,style:{borderColor:m(c.label)},children:c.label},c.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",s.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:j.map(c=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:m(c.label)},"aria-hidden":"true"}),c.label," ",e.jsx("span",{className:"muted",children:c.type.toLowerCase()})]},c.id))}),e.jsx("h2",{children:"Task statuses"}),s.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:s.taskStatuses.map((c,C)=>e.jsxs("li",{children:[c.task?.name??"task",": ",c.status??"no status"]},C))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:s.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:s.mimetype??s.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:s.width&&s.height?`${s.width} × ${s.height}`:"unknown"}),e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:s.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(k,{value:s.metadata})]})]})]})}const Ue=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],_=t=>t.toLowerCase().replace("_"," ");function R(t,n){const a=t.get(n.id);if(a&&a.version>n.version)return t;const r=new Map(t);return r.set(n.id,n),r}function Q({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function ze({projectId:t}){const{data:n,error:a}=D($e,{projectId:t}),[r,s]=d.useState(new Map),[l,m]=d.useState(null),[j,u]=d.useState(!1);if(d.useEffect(()=>{const i=G(be,{projectId:t},x=>{u(!0),s(c=>R(c,x.executionsUpdated))},m);return u(!0),i},[t]),d.useEffect(()=>{n?.project&&s(i=>n.project.executions.nodes.reduce(R,i))},[n]),a)return e.jsx(E,{error:a});if(!n)return e.jsx(T,{what:"executions"});const o=n.project;if(!o)return e.jsx(E,{error:new Error(`project ${t} not found`)});const h=[...r.values()].sort((i,x)=>x.createdAt.localeCompare(i.createdAt));return e.jsxs("section",{children:[e.jsxs(F,{children:[e.jsx("a",{href:`#/projects/${o.id}`,children:o.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",h.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:j?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(E,{error:l}),e.jsx(_e,{services:o.services.nodes,onStarted:i=>s(x=>R(x,i))}),e.jsx("div",{className:"board",children:Ue.filter(i=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(i)||h.some(x=>x.status===i)).map(i=>{const x=h.filter(c=>c.status===i);return e.jsxs("section",{className:"column","data-status":i,"aria-labelledby":`col-${i}`,children:[e.jsxs("h2",{id:`col-${i}`,children:[_(i)," ",e.jsxs("span",{className:"count",children:["(",x.length,")"]})]}),e.jsx("ul",{className:"plain",children:x.map(c=>e.jsxs("li",{className:"excard","data-execution-id":c.id,"data-status":c.status,children:[e.jsxs("a",{href:`#/executions/${c.id}`,children:[c.service.name,".",c.functionName]}),e.jsx(Q,{e:c}),e.jsx("span",{className:"small muted",children:c.latestStatus.message??""})]},c.id))})]},i)})})]})}function _e({services:t,onStarted:n}){const[a,r]=d.useState(t[0]?.id??""),[s,l]=d.useState("run"),[m,j]=d.useState("{}"),[u,o]=d.useState(null);async function h(i){i.preventDefault(),o(null);let x;try{x=JSON.parse(m||"{}")}catch(c){o(new Error(`input: not JSON (${c.message})`));return}try{const C=(await A(Ie,{input:{serviceId:a,functionName:s,input:x}})).executionCreate;if(C.errors.length)throw new I(C.errors.map(p=>(p.field?`${p.field.join(".")}: `:"")+p.message).join("; "),C.errors[0].code);C.execution&&n(C.execution)}catch(c){o(c)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:h,"aria-label":"Start an execution",children:[e.jsxs("label",{children:["Service ",e.jsx("select",{value:a,onChange:i=>r(i.target.value),children:t.map(i=>e.jsxs("option",{value:i.id,children:[i.name,i.active?"":" (inactive)"]},i.id))})]}),e.jsxs("label",{children:["Function ",e.jsx("input",{value:s,onChange:i=>l(i.target.value)})]}),e.jsxs("label",{children:["Input (JSON) ",e.jsx("input",{value:m,onChange:i=>j(i.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(E,{error:u})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const J=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function Be({id:t}){const{data:n,error:a}=D(ve,{id:t}),[r,s]=d.useState(null),[l,m]=d.useState(null);d.useEffect(()=>(s(null),G(Se,{id:t},h=>s(i=>!i||h.executionUpdated.version>=i.version?h.executionUpdated:i),m)),[t]);async function j(h){m(null);try{const i=h==="rerun"?(await A(we,{id:t})).executionRerun:(await A(Ae,{id:t})).executionTerminate;if(i.errors.length)throw new I(i.errors.map(x=>x.message).join("; "),i.errors[0].code);i.execution&&i.execution.id!==t&&(location.hash=`#/executions/${i.execution.id}`)}catch(i){m(i)}}if(a)return e.jsx(E,{error:a});if(!n)return e.jsx(T,{what:"the execution"});const u=n.execution;if(!u)return e.jsx(E,{error:new Error(`execution ${t} not found`)});const o=r&&r.version>=u.version?{...u,...r}:u;return e.jsxs("section",{children:[e.jsxs(F,{children:[e.jsx("a",{href:`#/projects/${o.project.id}`,children:o.project.name})," /"," ",e.jsx("a",{href:`#/projects/${o.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:o.id})]}),e.jsxs("h1",{children:[o.service.name,".",o.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:_(o.status)})," ",e.jsx(Q,{e:o})," ",o.progress,"% · attempt ",o.attempts," of ",o.maxAttempts,o.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>j("rerun"),disabled:!J.includes(o.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>j("terminate"),disabled:J.includes(o.status),children:"Terminate"})]}),e.jsx(E,{error:l}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:o.statusLog.map((h,i)=>e.jsxs("tr",{children:[e.jsx("td",{children:h.timestamp}),e.jsx("td",{children:_(h.status)}),e.jsx("td",{className:"num",children:h.percentComplete??""}),e.jsx("td",{children:h.message??""})]},i))})]}),e.jsx("h2",{children:"Input"}),e.jsx(k,{value:o.input}),o.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(k,{value:o.output})]}):null,o.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(k,{value:o.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx("p",{className:"muted",children:"Execution logs are not in the schema yet; they will tail here."})]})}function Ve({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(ze,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(Te,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(Me,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(Re,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(Be,{id:n[1]}):e.jsx(De,{})}function He(){const[t,n]=d.useState(L());d.useEffect(()=>ee(()=>n(L())),[]);const a=ne();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>B(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(Ve,{route:a}):e.jsx(Ne,{})})]})}X.createRoot(document.getElementById("root")).render(e.jsx(d.StrictMode,{children:e.jsx(He,{})}));
