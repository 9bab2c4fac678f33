import{a as l,j as e,c as oe}from"./index-Dqs7sZj5.js";import{c as le}from"./client-wkOhMJXj.js";const H="labelgraph.token",M="labelgraph.signedOut",V=new Set;function q(){return sessionStorage.getItem(H)}function Y(t){t?sessionStorage.setItem(H,t):sessionStorage.removeItem(H),O?.dispose(),O=null,J=!1,V.forEach(n=>n())}function ce(t){return V.add(t),()=>V.delete(t)}class w extends Error{constructor(n,s){super(n),this.code=s}code}function ee(t){if(t.errors?.length){const n=t.errors[0],s=n.extensions?.code??null;throw s==="UNAUTHENTICATED"&&(sessionStorage.setItem(M,n.message),Y(null)),new w(t.errors.map(r=>r.message).join("; "),s)}return t.data}async function A(t,n){const s=q(),r=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...s?{authorization:`Bearer ${s}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let a;try{a=await r.json()}catch{throw new w(`the gateway answered ${r.status} ${r.statusText}`,null)}return ee(a)}let O=null,J=!1;function te(){if(!O){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;O=le({url:t,connectionParams:()=>({authorization:`Bearer ${q()??""}`}),retryAttempts:5,lazy:!0,on:{connected:()=>{J=!0},closed:()=>{J=!1}}})}return O}function de(t){const n=te();return J&&queueMicrotask(t),n.on("connected",t)}function _(t,n,s,r,a){return te().subscribe({query:t.toString(),variables:n},{next:o=>{try{s(ee(o))}catch(u){r(u)}},error:o=>{Array.isArray(o)?r(new w(o.map(u=>u.message).join("; "),null)):o instanceof CloseEvent?r(new w(`the subscription closed: ${o.reason||o.code}`,null)):r(new w(String(o?.message??o),null))},complete:()=>a?.()})}function L(t,n){const s=JSON.stringify(n),[r,a]=l.useState({data:null,error:null,loading:!0}),[o,u]=l.useState(0);l.useEffect(()=>{let m=!0;return a(i=>({...i,loading:!0})),A(t,JSON.parse(s)).then(i=>m&&a({data:i,error:null,loading:!1}),i=>m&&a({data:null,error:i,loading:!1})),()=>{m=!1}},[t,s,o]);const x=l.useCallback(()=>u(m=>m+1),[]);return{...r,reload:x}}function ue(){const[t,n]=l.useState(location.hash.slice(1)||"/");return l.useEffect(()=>{const s=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",s),()=>window.removeEventListener("hashchange",s)},[]),t}class y extends String{__apiType;value;__meta__;constructor(n,s){super(n),this.value=n,this.__meta__=s}toString(){return this.value}}new y(`
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
    `,{fragmentName:"ItemCard"});const me=new y(`
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
    `,{fragmentName:"ExecutionFields"}),pe=new y(`
    fragment JobFields on Command {
  id
  type
  status
  progress
  message
  error
  result
  url
  version
  createdAt
  updatedAt
}
    `,{fragmentName:"JobFields"}),he=new y(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),xe=new y(`
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
    `),fe=new y(`
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
    `),je=new y(`
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
}`),ge=new y(`
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
    `),be=new y(`
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
}`),ve=new y(`
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
}`),ye=new y(`
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
}`),Ee=new y(`
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
}`),Se=new y(`
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
}`),Ce=new y(`
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
}`),$e=new y(`
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
}`),Ie=new y(`
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
    `),Ne=new y(`
    subscription ExecutionLogs($id: ID!) {
  executionLogs(id: $id) {
    id
    seq
    time
    stream
    level
    text
    attempt
  }
}
    `),we=new y(`
    query ProjectJobs($projectId: ID!) {
  project(id: $projectId) {
    id
    name
    commands(first: 100) {
      totalCount
      nodes {
        ...JobFields
      }
    }
  }
}
    fragment JobFields on Command {
  id
  type
  status
  progress
  message
  error
  result
  url
  version
  createdAt
  updatedAt
}`),Ae=new y(`
    subscription CommandUpdated($id: ID!) {
  commandUpdated(id: $id) {
    ...JobFields
  }
}
    fragment JobFields on Command {
  id
  type
  status
  progress
  message
  error
  result
  url
  version
  createdAt
  updatedAt
}`),De=new y(`
    mutation CommandAbort($id: ID!) {
  commandAbort(input: {id: $id}) {
    command {
      ...JobFields
    }
    errors {
      message
      field
      code
    }
  }
}
    fragment JobFields on Command {
  id
  type
  status
  progress
  message
  error
  result
  url
  version
  createdAt
  updatedAt
}`),Fe=new y(`
    mutation DatasetExport($input: DatasetExportInput!) {
  datasetExport(input: $input) {
    command {
      ...JobFields
    }
    errors {
      message
      field
      code
    }
  }
}
    fragment JobFields on Command {
  id
  type
  status
  progress
  message
  error
  result
  url
  version
  createdAt
  updatedAt
}`),Te={"\n  query Me {\n    me { id email name }\n  }\n":he,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":xe,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":fe,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n":je,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n":ge,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":me,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":be,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":ve,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":ye,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":Ee,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Se,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Ce,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":$e,"\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n":Ie,"\n  subscription ExecutionLogs($id: ID!) {\n    executionLogs(id: $id) { id seq time stream level text attempt }\n  }\n":Ne,"\n  fragment JobFields on Command {\n    id type status progress message error result url version createdAt updatedAt\n  }\n":pe,"\n  query ProjectJobs($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      commands(first: 100) {\n        totalCount\n        nodes { ...JobFields }\n      }\n    }\n  }\n":we,"\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) { ...JobFields }\n  }\n":Ae,"\n  mutation CommandAbort($id: ID!) {\n    commandAbort(input: { id: $id }) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n":De,"\n  mutation DatasetExport($input: DatasetExportInput!) {\n    datasetExport(input: $input) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n":Fe};function S(t){return Te[t]??{}}const Le=S(`
  query Me {
    me { id email name }
  }
`),ke=S(`
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
`),Pe=S(`
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
`),Oe=S(`
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
`),Ue=S(`
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
`);S(`
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
`);const Re=S(`
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
`),Me=S(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),qe=S(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),Je=S(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),ze=S(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),_e=S(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Be=S(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),He=S(`
  mutation ItemStatusSet($input: ItemStatusSetInput!) {
    itemStatusSet(input: $input) {
      itemIds
      errors { field code message }
    }
  }
`),Ve=S(`
  subscription ExecutionLogs($id: ID!) {
    executionLogs(id: $id) { id seq time stream level text attempt }
  }
`);S(`
  fragment JobFields on Command {
    id type status progress message error result url version createdAt updatedAt
  }
`);const Ye=S(`
  query ProjectJobs($projectId: ID!) {
    project(id: $projectId) {
      id
      name
      commands(first: 100) {
        totalCount
        nodes { ...JobFields }
      }
    }
  }
`),Ge=S(`
  subscription CommandUpdated($id: ID!) {
    commandUpdated(id: $id) { ...JobFields }
  }
`),Ke=S(`
  mutation CommandAbort($id: ID!) {
    commandAbort(input: { id: $id }) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`),We=S(`
  mutation DatasetExport($input: DatasetExportInput!) {
    datasetExport(input: $input) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`);function E({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function k({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function P({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function U({value:t}){return e.jsx("pre",{className:"json",tabIndex:0,children:JSON.stringify(t,null,2)})}function Xe(){const[t,n]=l.useState(""),[s,r]=l.useState(null),[a,o]=l.useState(!1),u=sessionStorage.getItem(M);async function x(m){m.preventDefault(),o(!0),r(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await A(Le),sessionStorage.removeItem(M),Y(t.trim())}catch(i){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(M),r(i)}finally{o(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),u?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",u]}):null,e.jsxs("form",{onSubmit:x,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:m=>n(m.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:a,children:"Sign in"})]}),e.jsx(E,{error:s})]})}function Qe(){const{data:t,error:n,loading:s}=L(ke,{});return n?e.jsx(E,{error:n}):s||!t?e.jsx(k,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(r=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[r.name," ",e.jsx("span",{className:"muted",children:r.plan})]}),e.jsxs("p",{children:[r.projects.totalCount," project",r.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:r.projects.nodes.map(a=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${a.id}`,children:a.name})," ",e.jsxs("span",{className:"muted",children:[a.datasets.totalCount," dataset",a.datasets.totalCount===1?"":"s"]})]},a.id))})]},r.id))]})}function Ze({id:t}){const{data:n,error:s,loading:r}=L(Pe,{id:t});if(s)return e.jsx(E,{error:s});if(r||!n)return e.jsx(k,{what:"the project"});const a=n.project;return a?e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:"#/",children:a.organization.name})," / ",e.jsx("span",{children:a.name})]}),e.jsx("h1",{children:a.name}),a.description?e.jsx("p",{children:a.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${a.id}/executions`,children:"Executions board"})," (",a.services.nodes.length," services) ·"," ",e.jsx("a",{href:`#/projects/${a.id}/jobs`,children:"Jobs"})," (exports, clones, merges)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",a.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:a.datasets.nodes.map(o=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${o.id}`,children:o.name}),o.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:o.itemsCount}),e.jsx("td",{className:"num",children:o.annotatedCount})]},o.id))})]})]}):e.jsx(E,{error:new Error(`project ${t} not found`)})}function et(t){return t.thumbnailUrl??null}function tt(t){return t.url??null}function nt(t){return(t.mimetype??"").startsWith("video/")}const st=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],z=t=>t.toLowerCase().replace("_"," ");function B(t,n){const s=t.get(n.id);if(s&&s.version>n.version)return t;const r=new Map(t);return r.set(n.id,n),r}function ne({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function at({projectId:t}){const{data:n,error:s,reload:r}=L(Re,{projectId:t}),[a,o]=l.useState(new Map),[u,x]=l.useState(null),[m,i]=l.useState(!1);if(l.useEffect(()=>{const f=de(()=>{i(!0),r()}),g=_(Me,{projectId:t},h=>o(c=>B(c,h.executionsUpdated)),h=>{i(!1),x(h)});return()=>{g(),f()}},[t,r]),l.useEffect(()=>{n?.project&&o(f=>n.project.executions.nodes.reduce(B,f))},[n]),s)return e.jsx(E,{error:s});if(!n)return e.jsx(k,{what:"executions"});const j=n.project;if(!j)return e.jsx(E,{error:new Error(`project ${t} not found`)});const p=[...a.values()].sort((f,g)=>g.createdAt.localeCompare(f.createdAt));return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${j.id}`,children:j.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",p.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:m?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(E,{error:u}),e.jsx(it,{services:j.services.nodes,onStarted:f=>o(g=>B(g,f))}),e.jsx("div",{className:"board",children:st.filter(f=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(f)||p.some(g=>g.status===f)).map(f=>{const g=p.filter(h=>h.status===f);return e.jsxs("section",{className:"column","data-status":f,"aria-labelledby":`col-${f}`,children:[e.jsxs("h2",{id:`col-${f}`,children:[z(f)," ",e.jsxs("span",{className:"count",children:["(",g.length,")"]})]}),e.jsx("ul",{className:"plain",children:g.map(h=>e.jsxs("li",{className:"excard","data-execution-id":h.id,"data-status":h.status,children:[e.jsxs("a",{href:`#/executions/${h.id}`,children:[h.service.name,".",h.functionName]}),e.jsx(ne,{e:h}),e.jsx("span",{className:"small muted",children:h.latestStatus.message??""})]},h.id))})]},f)})})]})}function it({services:t,onStarted:n}){const[s,r]=l.useState(t[0]?.id??""),[a,o]=l.useState("run"),[u,x]=l.useState("{}"),[m,i]=l.useState(null);async function j(p){p.preventDefault(),i(null);let f;try{f=JSON.parse(u||"{}")}catch(g){i(new Error(`input: not JSON (${g.message})`));return}try{const h=(await A(ze,{input:{serviceId:s,functionName:a,input:f}})).executionCreate;if(h.errors.length)throw new w(h.errors.map(c=>(c.field?`${c.field.join(".")}: `:"")+c.message).join("; "),h.errors[0].code);h.execution&&n(h.execution)}catch(g){i(g)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:j,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:s,onChange:p=>r(p.target.value),children:t.map(p=>e.jsxs("option",{value:p.id,children:[p.name,p.active?"":" (inactive)"]},p.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:a,onChange:p=>o(p.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:u,onChange:p=>x(p.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(E,{error:m})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const se=["SUCCESS","FAILED","ABORTED"];function rt(t){const[n,s]=l.useState(t),[r,a]=l.useState(null);l.useEffect(()=>{s(u=>u.id===t.id&&u.version>=t.version?u:t)},[t]);const o=se.includes(t.status);return l.useEffect(()=>{if(!o)return _(Ge,{id:t.id},u=>s(x=>u.commandUpdated.version>=x.version?u.commandUpdated:x),a)},[t.id,o]),[n,r]}function ae({job:t,onEnded:n}){const[s,r]=rt(t),[a,o]=l.useState(null),[u,x]=l.useState(!1),m=se.includes(s.status),i=l.useRef(m);l.useEffect(()=>{m&&!i.current&&(i.current=!0,n?.(s))},[m,s,n]);async function j(){x(!0),o(null);try{const p=(await A(Ke,{id:s.id})).commandAbort;if(p.errors.length)throw new w(p.errors.map(f=>f.message).join("; "),p.errors[0].code)}catch(p){o(p)}finally{x(!1)}}return e.jsxs("li",{className:"job card","data-job-id":s.id,"data-status":s.status,children:[e.jsxs("div",{className:"job-head",children:[e.jsx("strong",{children:s.type})," ",e.jsx("span",{className:`badge ${s.status.toLowerCase()}`,"data-testid":"job-status",children:z(s.status)}),e.jsxs("span",{className:"muted small",children:[s.id," · ",s.createdAt.slice(0,19).replace("T"," ")]})]}),e.jsxs("progress",{max:100,value:s.progress,"aria-label":`progress of ${s.type} ${s.id}`,children:[s.progress,"%"]}),e.jsxs("span",{className:"small",children:[s.progress,"%",s.message?` · ${s.message}`:""]}),e.jsxs("div",{className:"job-actions",children:[s.status==="SUCCESS"&&s.url?e.jsx("a",{href:s.url,download:!0,"data-testid":"job-download",children:"Download"}):null,m?null:e.jsx("button",{type:"button",onClick:j,disabled:u,children:"Abort"})]}),s.error?e.jsx("div",{role:"alert",className:"error",children:s.error}):null,e.jsx(E,{error:a??r}),s.status==="SUCCESS"&&s.result!=null?e.jsxs("details",{children:[e.jsx("summary",{children:"Result"}),e.jsx(U,{value:s.result})]}):null]})}function ot({projectId:t}){const{data:n,error:s,reload:r}=L(Ye,{projectId:t}),a=l.useCallback(()=>r(),[r]);if(s)return e.jsx(E,{error:s});if(!n)return e.jsx(k,{what:"jobs"});const o=n.project;if(!o)return e.jsx(E,{error:new Error(`project ${t} not found`)});const u=[...o.commands.nodes].sort((x,m)=>m.createdAt.localeCompare(x.createdAt));return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${o.id}`,children:o.name})," / ",e.jsx("span",{children:"Jobs"})]}),e.jsxs("h1",{children:["Jobs ",e.jsxs("span",{className:"count",children:["(",o.commands.totalCount,")"]})]}),e.jsxs("p",{className:"muted",children:["Exports start from a dataset's page; progress moves here as the jobs run."," ",e.jsx("button",{type:"button",onClick:r,children:"Refresh"})]}),u.length===0?e.jsx("p",{children:"No job yet."}):null,e.jsx("ul",{className:"plain jobs",children:u.map(x=>e.jsx(ae,{job:x,onEnded:a},x.id))})]})}const lt=[{value:"COCO",label:"COCO (instances JSON)"},{value:"YOLO",label:"YOLO (Ultralytics)"},{value:"VOC",label:"Pascal VOC (XML)"},{value:"JSON",label:"labelgraph JSON (lossless)"}];function ct({datasetId:t,projectId:n,filter:s}){const[r,a]=l.useState("COCO"),[o,u]=l.useState(!1),[x,m]=l.useState(""),[i,j]=l.useState(!0),[p,f]=l.useState(!1),[g,h]=l.useState(null),[c,v]=l.useState([]);async function C(b){b.preventDefault(),f(!0),h(null);try{const d=x.split(",").map(N=>N.trim()).filter(Boolean),I=(await A(We,{input:{datasetId:t,format:r,includeFiles:o,splits:d.length?d:null,filter:s&&i?s:null}})).datasetExport;if(I.errors.length)throw new w(I.errors.map(N=>(N.field?`${N.field.join(".")}: `:"")+N.message).join("; "),I.errors[0].code);I.command&&v(N=>[I.command,...N])}catch(d){h(d)}finally{f(!1)}}return e.jsxs("details",{className:"export",children:[e.jsx("summary",{children:"Export"}),e.jsxs("form",{className:"filters",onSubmit:C,"aria-label":"Export the dataset",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-format",children:"Format"}),e.jsx("select",{id:"x-format",value:r,onChange:b=>a(b.target.value),children:lt.map(b=>e.jsx("option",{value:b.value,children:b.label},b.value))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-splits",children:"Splits"}),e.jsx("input",{id:"x-splits",value:x,placeholder:"all, or train, val",onChange:b=>m(b.target.value)})]}),e.jsxs("div",{className:"field check",children:[e.jsx("input",{id:"x-files",type:"checkbox",checked:o,onChange:b=>u(b.target.checked)}),e.jsx("label",{htmlFor:"x-files",children:"Include the files"})]}),s?e.jsxs("div",{className:"field check",children:[e.jsx("input",{id:"x-filtered",type:"checkbox",checked:i,onChange:b=>j(b.target.checked)}),e.jsx("label",{htmlFor:"x-filtered",children:"Only the filtered items"})]}):null,e.jsx("button",{type:"submit",disabled:p,children:"Start export"})]}),e.jsx(E,{error:g}),c.length?e.jsxs(e.Fragment,{children:[e.jsx("ul",{className:"plain jobs",children:c.map(b=>e.jsx(ae,{job:b},b.id))}),e.jsx("p",{children:e.jsx("a",{href:`#/projects/${n}/jobs`,children:"All the project's jobs"})})]}):null]})}const dt=100,G=168,D=156,R={dir:"",name:"",annotated:"",label:"",metaPath:"",metaValue:""};function K(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.label&&(n.annotations={label:{eq:t.label}}),t.metaPath){let s=t.metaValue;try{s=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:s}]}return Object.keys(n).length?n:null}function ut({id:t}){const[n,s]=l.useState(R),[r,a]=l.useState(R),[o,u]=l.useState(null),[x,m]=l.useState([]),[i,j]=l.useState(null),[p,f]=l.useState({end:null,more:!0}),[g,h]=l.useState(null),c=l.useRef(!1),v=l.useRef(0),C=l.useCallback(async(d,$)=>{if(c.current&&!$)return;c.current=!0;const I=$?++v.current:v.current;try{const N=await A(Oe,{id:t,first:dt,after:d,filter:K(r)});if(I!==v.current)return;const F=N.dataset;if(!F)throw new w(`dataset ${t} not found`,"NOT_FOUND");u(F),j(F.items.totalCount),m(re=>$?F.items.nodes:[...re,...F.items.nodes]),f({end:F.items.pageInfo.endCursor??null,more:F.items.pageInfo.hasNextPage}),h(null)}catch(N){I===v.current&&h(N)}finally{I===v.current&&(c.current=!1)}},[t,r]);l.useEffect(()=>{m([]),j(null),C(null,!0)},[C]);function b(d){d.preventDefault(),a(n)}return e.jsxs("section",{children:[o?e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${o.project.id}`,children:o.project.name})," / ",e.jsx("span",{children:o.name})]}):null,e.jsx("h1",{children:o?.name??"Dataset"}),o?e.jsx(ct,{datasetId:o.id,projectId:o.project.id,filter:K(r)}):null,e.jsxs("form",{className:"filters",onSubmit:b,"aria-label":"Filter items",children:[e.jsx(T,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:d=>s({...n,dir:d.target.value})})}),e.jsx(T,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:d=>s({...n,name:d.target.value})})}),e.jsx(T,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:d=>s({...n,annotated:d.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(T,{id:"f-label",label:"Label",children:e.jsxs("select",{id:"f-label",value:n.label,onChange:d=>s({...n,label:d.target.value}),children:[e.jsx("option",{value:"",children:"any"}),(o?.labels??[]).map(d=>e.jsx("option",{value:d.tag,children:d.tag},d.tag))]})}),e.jsx(T,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:d=>s({...n,metaPath:d.target.value})})}),e.jsx(T,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:d=>s({...n,metaValue:d.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{s(R),a(R)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[i===null?"Loading items…":`${i.toLocaleString("en")} item${i===1?"":"s"}`,i!==null&&x.length<i?` (${x.length.toLocaleString("en")} loaded)`:""]}),e.jsx(E,{error:g}),e.jsx(mt,{items:x,more:p.more,onNeedMore:()=>p.more&&void C(p.end,!1)})]})}function T({id:t,label:n,children:s}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),s]})}function mt({items:t,more:n,onNeedMore:s}){const r=l.useRef(null),[a,o]=l.useState({top:0,width:800,height:600}),[u,x]=l.useState(0),m=Math.max(1,Math.floor(a.width/G)),i=Math.ceil(t.length/m),j=Math.max(0,Math.floor(a.top/D)-2),p=Math.min(i,Math.ceil((a.top+a.height)/D)+2),f=l.useCallback(()=>{const c=r.current;c&&o({top:c.scrollTop,width:c.clientWidth,height:c.clientHeight})},[]);l.useLayoutEffect(()=>{f();const c=new ResizeObserver(f);return r.current&&c.observe(r.current),()=>c.disconnect()},[f]),l.useEffect(()=>{n&&p*m>=t.length-m*2-1&&s()},[n,p,m,t.length,s]);function g(c){const v={ArrowRight:1,ArrowLeft:-1,ArrowDown:m,ArrowUp:-m,Home:-t.length,End:t.length}[c.key];if(v===void 0||!t.length)return;c.preventDefault();const C=Math.min(t.length-1,Math.max(0,u+v));x(C);const b=r.current,d=Math.floor(C/m)*D;d<b.scrollTop?b.scrollTop=d:d+D>b.scrollTop+b.clientHeight&&(b.scrollTop=d+D-b.clientHeight),requestAnimationFrame(()=>r.current?.querySelector(`[data-index="${C}"]`)?.focus())}const h=[];for(let c=j*m;c<Math.min(t.length,p*m);c++){const v=t[c],C=et(v);h.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(c/m)*D,left:c%m*G},children:e.jsxs("a",{href:`#/items/${v.id}`,"data-index":c,"data-item-id":v.id,tabIndex:c===u?0:-1,onFocus:()=>x(c),children:[C?e.jsx("img",{src:C,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:v.type==="dir"?"📁":(v.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:v.name}),e.jsxs("span",{className:"muted small",children:[v.annotationsCount," annotation",v.annotationsCount===1?"":"s"]})]})},v.id))}return e.jsx("div",{ref:r,className:"grid",onScroll:f,onKeyDown:g,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:i*D+(n?D:0),position:"relative"},children:h})})}const W=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function ie(t){const n=t.coordinates;return W(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(W):[]}function pt({a:t,color:n}){const s=ie(t),r={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},a=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&s.length>=2){const[o,u]=s;return e.jsx("rect",{...r,x:Math.min(o.x,u.x),y:Math.min(o.y,u.y),width:Math.abs(u.x-o.x),height:Math.abs(u.y-o.y),fill:n,fillOpacity:.15,children:a})}return t.type==="POLYGON"&&s.length>=3?e.jsx("polygon",{...r,points:s.map(o=>`${o.x},${o.y}`).join(" "),fill:n,fillOpacity:.2,children:a}):t.type==="POLYLINE"&&s.length>=2?e.jsx("polyline",{...r,points:s.map(o=>`${o.x},${o.y}`).join(" "),fill:"none",children:a}):t.type==="POINT"&&s.length>=1?e.jsx("circle",{...r,cx:s[0].x,cy:s[0].y,r:5,fill:n,children:a}):null}function ht({itemId:t,ts:n}){const s=n.task,[r,a]=l.useState(n.status??null),[o,u]=l.useState(n.status??""),[x,m]=l.useState(!1),[i,j]=l.useState(null);if(!s)return e.jsxs("li",{children:["task: ",r??"no status"]});const p=`status-${s.id}`,f=s.availableActions.find(h=>h.action===r);async function g(h){h.preventDefault(),m(!0);try{const c=o===""?null:o,C=(await A(He,{input:{taskId:s.id,itemId:t,status:c}})).itemStatusSet.errors[0];C?j(new w(C.message,C.code)):(a(c),j(null))}catch(c){j(c)}finally{m(!1)}}return e.jsxs("li",{"data-task-id":s.id,children:[e.jsxs("form",{className:"status-form",onSubmit:g,"aria-label":`Status in ${s.name}`,children:[e.jsxs("span",{children:[s.name,": "]}),f?e.jsx("span",{className:"swatch",style:{background:f.color},"aria-hidden":"true"}):null,e.jsx("strong",{"data-testid":"task-status",children:f?.displayName??r??"no status"})," ",e.jsx("label",{htmlFor:p,className:"visually-hidden",children:`New status in ${s.name}`}),e.jsxs("select",{id:p,value:o,onChange:h=>u(h.target.value),disabled:x,children:[e.jsx("option",{value:"",children:"no status"}),s.availableActions.map(h=>e.jsx("option",{value:h.action,children:h.displayName},h.action))]})," ",e.jsx("button",{type:"submit",disabled:x||o===(r??""),children:"Set status"})]}),e.jsx(E,{error:i})]})}function xt({item:t,anns:n,color:s}){const r=tt(t),a=n.flatMap(ie),[o,u]=l.useState(null),[x,m]=l.useState(0),i=o?.w??t.width??Math.max(640,...a.map(c=>c.x+10)),j=o?.h??t.height??Math.max(480,...a.map(c=>c.y+10)),p=r!==null&&nt(t),f=c=>c.frame==null||c.frame<=x&&x<=(c.endFrame??c.frame),g=p?n.filter(f):n,h=e.jsxs("svg",{viewBox:`0 0 ${i} ${j}`,role:"img","data-testid":"annotation-canvas",preserveAspectRatio:"none","aria-label":`${t.name} with ${n.length} annotations`,className:r?"overlay":void 0,children:[r?null:e.jsx("rect",{width:i,height:j,className:"placeholder"}),g.map(c=>e.jsx(pt,{a:c,color:s(c.label)},c.id))]});return r?e.jsxs("div",{className:"stage",style:{aspectRatio:`${i} / ${j}`,maxWidth:`${i}px`},children:[p?e.jsx("video",{src:r,controls:!0,preload:"metadata","data-testid":"item-video","aria-label":t.name,onLoadedMetadata:c=>u({w:c.currentTarget.videoWidth,h:c.currentTarget.videoHeight}),onTimeUpdate:c=>m(Math.floor(c.currentTarget.currentTime*(t.fps??25))),onSeeked:c=>m(Math.floor(c.currentTarget.currentTime*(t.fps??25)))}):e.jsx("img",{src:r,alt:t.name,"data-testid":"item-image",onLoad:c=>u({w:c.currentTarget.naturalWidth,h:c.currentTarget.naturalHeight})}),h]}):h}function ft({id:t}){const{data:n,error:s,loading:r}=L(Ue,{id:t});if(s)return e.jsx(E,{error:s});if(r||!n)return e.jsx(k,{what:"the item"});const a=n.item;if(!a)return e.jsx(E,{error:new Error(`item ${t} not found`)});const o=new Map(a.dataset.labels.map(i=>[i.tag,i.color])),u=i=>o.get(i)??"#6b7280",x=a.annotations.nodes,m=x.filter(i=>i.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${a.dataset.project.id}`,children:a.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${a.dataset.id}`,children:a.dataset.name})," / ",e.jsx("span",{children:a.name})]}),e.jsx("h1",{children:a.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsx(xt,{item:a,anns:x,color:u}),e.jsx("figcaption",{children:m.map(i=>e.jsx("span",{className:"chip","data-annotation-id":i.id,"data-type":i.type,style:{borderColor:u(i.label)},children:i.label},i.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",a.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:x.map(i=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:u(i.label)},"aria-hidden":"true"}),i.label," ",e.jsx("span",{className:"muted",children:i.type.toLowerCase()})]},i.id))}),e.jsx("h2",{children:"Task statuses"}),a.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:a.taskStatuses.map((i,j)=>e.jsx(ht,{itemId:a.id,ts:i},i.task?.id??j))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:a.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:a.mimetype??a.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:a.width&&a.height?`${a.width} × ${a.height}`:"unknown"}),a.duration?e.jsxs(e.Fragment,{children:[e.jsx("dt",{children:"Duration"}),e.jsx("dd",{children:`${a.duration.toFixed(2)} s at ${a.fps??"?"} fps`})]}):null,e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:a.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(U,{value:a.metadata})]})]})]})}const X=1e3,Q=18;function jt(t,n,s,r){let a=0,o=[],u;const x=()=>{u=void 0;const i=o;o=[],i.length&&n(i)},m=_(Ve,{id:t},i=>{const j=i.executionLogs;j.seq<=a||(a=j.seq,o.push(j),u===void 0&&(u=setTimeout(x,50)))},s,()=>{clearTimeout(u),x(),r()});return()=>{clearTimeout(u),m()}}const gt={STDOUT:"out",STDERR:"err",LOG:"log"};function bt({id:t}){const[n,s]=l.useState([]),[r,a]=l.useState(0),[o,u]=l.useState(!1),[x,m]=l.useState(null),[i,j]=l.useState(!0),[p,f]=l.useState(0),g=l.useRef(null),h=l.useRef(!0),c=l.useRef(0),v=l.useRef([]);l.useEffect(()=>(v.current=[],s([]),a(0),u(!1),m(null),f(0),jt(t,d=>{h.current||f(N=>N+d.length);const $=v.current.concat(d),I=Math.max(0,$.length-X);v.current=I?$.slice(I):$,c.current+=I,I&&a(N=>N+I),s(v.current),m(null)},m,()=>u(!0))),[t]),l.useLayoutEffect(()=>{const d=g.current;d&&(h.current?d.scrollTop=d.scrollHeight:c.current&&(d.scrollTop=Math.max(0,d.scrollTop-c.current*Q)),c.current=0)},[n]);function C(d){if(h.current=d,j(d),d){f(0);const $=g.current;$&&($.scrollTop=$.scrollHeight)}}function b(){const d=g.current,$=d.scrollHeight-d.scrollTop-d.clientHeight<Q/2;$!==h.current&&C($)}return e.jsxs("div",{className:"logs",children:[e.jsxs("p",{className:"muted small","aria-live":"polite","data-testid":"log-state",children:[n.length+r," line",n.length+r===1?"":"s",r?` (the first ${r.toLocaleString("en")} not shown: the last ${X.toLocaleString("en")} are kept)`:"",o?" · ended":" · tailing",i?"":` · paused${p?`, ${p} new`:""} `,i?null:e.jsx("button",{type:"button",onClick:()=>C(!0),children:"Follow"})]}),e.jsx(E,{error:x}),e.jsxs("div",{ref:g,className:"logbox",role:"log","aria-live":"off","aria-label":"Execution logs",tabIndex:0,onScroll:b,"data-following":i?"yes":"no",children:[n.map(d=>e.jsxs("div",{className:`logline ${d.stream.toLowerCase()}${d.level?` ${d.level.toLowerCase()}`:""}`,"data-log-id":d.id,"data-stream":d.stream,"data-level":d.level??"",children:[e.jsx("time",{dateTime:d.time,children:d.time.slice(11,23)}),e.jsx("span",{className:"tag",children:d.level??gt[d.stream]??d.stream.toLowerCase()}),e.jsx("span",{className:"text",children:d.text})]},d.id)),n.length?null:e.jsx("div",{className:"logline muted-line",children:o?"No output.":"No output yet."})]})]})}const Z=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function vt({id:t}){const{data:n,error:s}=L(qe,{id:t}),[r,a]=l.useState(null),[o,u]=l.useState(null);l.useEffect(()=>(a(null),_(Je,{id:t},j=>a(p=>!p||j.executionUpdated.version>=p.version?j.executionUpdated:p),u)),[t]);async function x(j){u(null);try{const p=j==="rerun"?(await A(_e,{id:t})).executionRerun:(await A(Be,{id:t})).executionTerminate;if(p.errors.length)throw new w(p.errors.map(f=>f.message).join("; "),p.errors[0].code);p.execution&&p.execution.id!==t&&(location.hash=`#/executions/${p.execution.id}`)}catch(p){u(p)}}if(s)return e.jsx(E,{error:s});if(!n)return e.jsx(k,{what:"the execution"});const m=n.execution;if(!m)return e.jsx(E,{error:new Error(`execution ${t} not found`)});const i=r&&r.version>=m.version?{...m,...r}:m;return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${i.project.id}`,children:i.project.name})," /"," ",e.jsx("a",{href:`#/projects/${i.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:i.id})]}),e.jsxs("h1",{children:[i.service.name,".",i.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:z(i.status)})," ",e.jsx(ne,{e:i})," ",i.progress,"% · attempt ",i.attempts," of ",i.maxAttempts,i.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>x("rerun"),disabled:!Z.includes(i.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>x("terminate"),disabled:Z.includes(i.status),children:"Terminate"})]}),e.jsx(E,{error:o}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:i.statusLog.map((j,p)=>e.jsxs("tr",{children:[e.jsx("td",{children:j.timestamp}),e.jsx("td",{children:z(j.status)}),e.jsx("td",{className:"num",children:j.percentComplete??""}),e.jsx("td",{children:j.message??""})]},p))})]}),e.jsx("h2",{children:"Input"}),e.jsx(U,{value:i.input}),i.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(U,{value:i.output})]}):null,i.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(U,{value:i.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx(bt,{id:i.id})]})}function yt({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(at,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)\/jobs$/))?e.jsx(ot,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(Ze,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(ut,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(ft,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(vt,{id:n[1]}):e.jsx(Qe,{})}function Et(){const[t,n]=l.useState(q());l.useEffect(()=>ce(()=>n(q())),[]);const s=ue();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>Y(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(yt,{route:s}):e.jsx(Xe,{})})]})}oe.createRoot(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx(Et,{})}));
