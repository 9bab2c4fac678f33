import{a as l,j as e,c as de}from"./index-Dqs7sZj5.js";import{c as ue}from"./client-wkOhMJXj.js";const H="labelgraph.token",R="labelgraph.signedOut",V=new Set;function q(){return sessionStorage.getItem(H)}function K(t){t?sessionStorage.setItem(H,t):sessionStorage.removeItem(H),U?.dispose(),U=null,z=!1,V.forEach(n=>n())}function me(t){return V.add(t),()=>V.delete(t)}class N extends Error{constructor(n,s){super(n),this.code=s}code}function te(t){if(t.errors?.length){const n=t.errors[0],s=n.extensions?.code??null;throw s==="UNAUTHENTICATED"&&(sessionStorage.setItem(R,n.message),K(null)),new N(t.errors.map(a=>a.message).join("; "),s)}return t.data}async function A(t,n){const s=q(),a=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...s?{authorization:`Bearer ${s}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let i;try{i=await a.json()}catch{throw new N(`the gateway answered ${a.status} ${a.statusText}`,null)}return te(i)}let U=null,z=!1;function ne(){if(!U){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;U=ue({url:t,connectionParams:()=>({authorization:`Bearer ${q()??""}`}),retryAttempts:5,lazy:!0,on:{connected:()=>{z=!0},closed:()=>{z=!1}}})}return U}function se(t){const n=ne();return z&&queueMicrotask(t),n.on("connected",t)}function J(t,n,s,a,i){return ne().subscribe({query:t.toString(),variables:n},{next:r=>{try{s(te(r))}catch(p){a(p)}},error:r=>{Array.isArray(r)?a(new N(r.map(p=>p.message).join("; "),null)):r instanceof CloseEvent?a(new N(`the subscription closed: ${r.reason||r.code}`,null)):a(new N(String(r?.message??r),null))},complete:()=>i?.()})}function L(t,n){const s=JSON.stringify(n),[a,i]=l.useState({data:null,error:null,loading:!0}),[r,p]=l.useState(0);l.useEffect(()=>{let j=!0;return i(o=>({...o,loading:!0})),A(t,JSON.parse(s)).then(o=>j&&i({data:o,error:null,loading:!1}),o=>j&&i({data:null,error:o,loading:!1})),()=>{j=!1}},[t,s,r]);const f=l.useCallback(()=>p(j=>j+1),[]);return{...a,reload:f}}function pe(){const[t,n]=l.useState(location.hash.slice(1)||"/");return l.useEffect(()=>{const s=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",s),()=>window.removeEventListener("hashchange",s)},[]),t}class E extends String{__apiType;value;__meta__;constructor(n,s){super(n),this.value=n,this.__meta__=s}toString(){return this.value}}new E(`
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
    `,{fragmentName:"ItemCard"});const he=new E(`
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
    `,{fragmentName:"ExecutionFields"}),xe=new E(`
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
    `,{fragmentName:"JobFields"}),fe=new E(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),je=new E(`
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
    `),ge=new E(`
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
    `),be=new E(`
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
}`),ve=new E(`
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
    `),ye=new E(`
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
}`),Ee=new E(`
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
}`),Se=new E(`
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
}`),Ce=new E(`
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
}`),$e=new E(`
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
}`),Ie=new E(`
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
}`),we=new E(`
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
}`),Ne=new E(`
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
    `),Ae=new E(`
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
    `),De=new E(`
    query ProjectJobs($projectId: ID!) {
  project(id: $projectId) {
    id
    name
    commands(last: 100) {
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
}`),Fe=new E(`
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
}`),Te=new E(`
    subscription CommandsUpdated($projectId: ID!) {
  commandsUpdated(filter: {projectId: $projectId}) {
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
}`),Le=new E(`
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
}`),ke=new E(`
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
}`),Pe={"\n  query Me {\n    me { id email name }\n  }\n":fe,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":je,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":ge,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n":be,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n":ve,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":he,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":ye,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":Ee,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":Se,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":Ce,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":$e,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Ie,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":we,"\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n":Ne,"\n  subscription ExecutionLogs($id: ID!) {\n    executionLogs(id: $id) { id seq time stream level text attempt }\n  }\n":Ae,"\n  fragment JobFields on Command {\n    id type status progress message error result url version createdAt updatedAt\n  }\n":xe,"\n  query ProjectJobs($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      commands(last: 100) {\n        totalCount\n        nodes { ...JobFields }\n      }\n    }\n  }\n":De,"\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) { ...JobFields }\n  }\n":Fe,"\n  subscription CommandsUpdated($projectId: ID!) {\n    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }\n  }\n":Te,"\n  mutation CommandAbort($id: ID!) {\n    commandAbort(input: { id: $id }) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n":Le,"\n  mutation DatasetExport($input: DatasetExportInput!) {\n    datasetExport(input: $input) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n":ke};function C(t){return Pe[t]??{}}const Ue=C(`
  query Me {
    me { id email name }
  }
`),Oe=C(`
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
`),Je=C(`
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
`),Me=C(`
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
`),Re=C(`
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
`);C(`
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
`);const qe=C(`
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
`),ze=C(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),_e=C(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),Be=C(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),He=C(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ve=C(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ke=C(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ye=C(`
  mutation ItemStatusSet($input: ItemStatusSetInput!) {
    itemStatusSet(input: $input) {
      itemIds
      errors { field code message }
    }
  }
`),Ge=C(`
  subscription ExecutionLogs($id: ID!) {
    executionLogs(id: $id) { id seq time stream level text attempt }
  }
`);C(`
  fragment JobFields on Command {
    id type status progress message error result url version createdAt updatedAt
  }
`);const We=C(`
  query ProjectJobs($projectId: ID!) {
    project(id: $projectId) {
      id
      name
      commands(last: 100) {
        totalCount
        nodes { ...JobFields }
      }
    }
  }
`),Xe=C(`
  subscription CommandUpdated($id: ID!) {
    commandUpdated(id: $id) { ...JobFields }
  }
`),Qe=C(`
  subscription CommandsUpdated($projectId: ID!) {
    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }
  }
`),Ze=C(`
  mutation CommandAbort($id: ID!) {
    commandAbort(input: { id: $id }) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`),et=C(`
  mutation DatasetExport($input: DatasetExportInput!) {
    datasetExport(input: $input) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`);function S({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function k({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function P({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function O({value:t}){return e.jsx("pre",{className:"json",tabIndex:0,children:JSON.stringify(t,null,2)})}function tt(){const[t,n]=l.useState(""),[s,a]=l.useState(null),[i,r]=l.useState(!1),p=sessionStorage.getItem(R);async function f(j){j.preventDefault(),r(!0),a(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await A(Ue),sessionStorage.removeItem(R),K(t.trim())}catch(o){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(R),a(o)}finally{r(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),p?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",p]}):null,e.jsxs("form",{onSubmit:f,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:j=>n(j.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:i,children:"Sign in"})]}),e.jsx(S,{error:s})]})}function nt(){const{data:t,error:n,loading:s}=L(Oe,{});return n?e.jsx(S,{error:n}):s||!t?e.jsx(k,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(a=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[a.name," ",e.jsx("span",{className:"muted",children:a.plan})]}),e.jsxs("p",{children:[a.projects.totalCount," project",a.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:a.projects.nodes.map(i=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${i.id}`,children:i.name})," ",e.jsxs("span",{className:"muted",children:[i.datasets.totalCount," dataset",i.datasets.totalCount===1?"":"s"]})]},i.id))})]},a.id))]})}function st({id:t}){const{data:n,error:s,loading:a}=L(Je,{id:t});if(s)return e.jsx(S,{error:s});if(a||!n)return e.jsx(k,{what:"the project"});const i=n.project;return i?e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:"#/",children:i.organization.name})," / ",e.jsx("span",{children:i.name})]}),e.jsx("h1",{children:i.name}),i.description?e.jsx("p",{children:i.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${i.id}/executions`,children:"Executions board"})," (",i.services.nodes.length," services) ·"," ",e.jsx("a",{href:`#/projects/${i.id}/jobs`,children:"Jobs"})," (exports, clones, merges)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",i.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:i.datasets.nodes.map(r=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${r.id}`,children:r.name}),r.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:r.itemsCount}),e.jsx("td",{className:"num",children:r.annotatedCount})]},r.id))})]})]}):e.jsx(S,{error:new Error(`project ${t} not found`)})}function at(t){return t.thumbnailUrl??null}function it(t){return t.url??null}function rt(t){return(t.mimetype??"").startsWith("video/")}const ae="labelgraph.browse";function ot(t){try{sessionStorage.setItem(ae,JSON.stringify(t))}catch{}}function lt(t,n){let s=null;try{s=JSON.parse(sessionStorage.getItem(ae)??"null")}catch{s=null}if(!s||s.datasetId!==t)return null;const a=s.ids.indexOf(n);return a<0?null:{prev:a>0?s.ids[a-1]:null,next:a+1<s.ids.length?s.ids[a+1]:null,index:a,total:s.ids.length}}const ct=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],_=t=>t.toLowerCase().replace("_"," ");function B(t,n){const s=t.get(n.id);if(s&&s.version>n.version)return t;const a=new Map(t);return a.set(n.id,n),a}function ie({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function dt({projectId:t}){const{data:n,error:s,reload:a}=L(qe,{projectId:t}),[i,r]=l.useState(new Map),[p,f]=l.useState(null),[j,o]=l.useState(!1);if(l.useEffect(()=>{const m=se(()=>{o(!0),a()}),h=J(ze,{projectId:t},c=>r(x=>B(x,c.executionsUpdated)),c=>{o(!1),f(c)});return()=>{h(),m()}},[t,a]),l.useEffect(()=>{n?.project&&r(m=>n.project.executions.nodes.reduce(B,m))},[n]),s)return e.jsx(S,{error:s});if(!n)return e.jsx(k,{what:"executions"});const g=n.project;if(!g)return e.jsx(S,{error:new Error(`project ${t} not found`)});const u=[...i.values()].sort((m,h)=>h.createdAt.localeCompare(m.createdAt));return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${g.id}`,children:g.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",u.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:j?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(S,{error:p}),e.jsx(ut,{services:g.services.nodes,onStarted:m=>r(h=>B(h,m))}),e.jsx("div",{className:"board",children:ct.filter(m=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(m)||u.some(h=>h.status===m)).map(m=>{const h=u.filter(c=>c.status===m);return e.jsxs("section",{className:"column","data-status":m,"aria-labelledby":`col-${m}`,children:[e.jsxs("h2",{id:`col-${m}`,children:[_(m)," ",e.jsxs("span",{className:"count",children:["(",h.length,")"]})]}),e.jsx("ul",{className:"plain",children:h.map(c=>e.jsxs("li",{className:"excard","data-execution-id":c.id,"data-status":c.status,children:[e.jsxs("a",{href:`#/executions/${c.id}`,children:[c.service.name,".",c.functionName]}),e.jsx(ie,{e:c}),e.jsxs("span",{className:"small muted",children:[e.jsxs("span",{"data-testid":"execution-percent",children:[c.progress,"%"]}),c.latestStatus.message?e.jsxs(e.Fragment,{children:[" · ",e.jsx("span",{"data-testid":"execution-message",children:c.latestStatus.message})]}):null]})]},c.id))})]},m)})})]})}function ut({services:t,onStarted:n}){const[s,a]=l.useState(t[0]?.id??""),[i,r]=l.useState("run"),[p,f]=l.useState("{}"),[j,o]=l.useState(null);async function g(u){u.preventDefault(),o(null);let m;try{m=JSON.parse(p||"{}")}catch(h){o(new Error(`input: not JSON (${h.message})`));return}try{const c=(await A(He,{input:{serviceId:s,functionName:i,input:m}})).executionCreate;if(c.errors.length)throw new N(c.errors.map(x=>(x.field?`${x.field.join(".")}: `:"")+x.message).join("; "),c.errors[0].code);c.execution&&n(c.execution)}catch(h){o(h)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:g,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:s,onChange:u=>a(u.target.value),children:t.map(u=>e.jsxs("option",{value:u.id,children:[u.name,u.active?"":" (inactive)"]},u.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:i,onChange:u=>r(u.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:p,onChange:u=>f(u.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(S,{error:j})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const re=["SUCCESS","FAILED","ABORTED"];function mt(t,n=!0){const[s,a]=l.useState(t),[i,r]=l.useState(null);l.useEffect(()=>{a(f=>f.id===t.id&&f.version>=t.version?f:t)},[t]);const p=re.includes(t.status);return l.useEffect(()=>{if(!(p||!n))return J(Xe,{id:t.id},f=>a(j=>f.commandUpdated.version>=j.version?f.commandUpdated:j),r)},[t.id,p,n]),[s,i]}function oe({job:t,follow:n=!0,onEnded:s}){const[a,i]=mt(t,n),[r,p]=l.useState(null),[f,j]=l.useState(!1),o=re.includes(a.status),g=l.useRef(o);l.useEffect(()=>{o&&!g.current&&(g.current=!0,s?.(a))},[o,a,s]);async function u(){j(!0),p(null);try{const m=(await A(Ze,{id:a.id})).commandAbort;if(m.errors.length)throw new N(m.errors.map(h=>h.message).join("; "),m.errors[0].code)}catch(m){p(m)}finally{j(!1)}}return e.jsxs("li",{className:"job card","data-job-id":a.id,"data-status":a.status,children:[e.jsxs("div",{className:"job-head",children:[e.jsx("strong",{children:a.type})," ",e.jsx("span",{className:`badge ${a.status.toLowerCase()}`,"data-testid":"job-status",children:_(a.status)}),e.jsxs("span",{className:"muted small",children:[a.id," · ",a.createdAt.slice(0,19).replace("T"," ")]})]}),e.jsxs("progress",{max:100,value:a.progress,"aria-label":`progress of ${a.type} ${a.id}`,children:[a.progress,"%"]}),e.jsxs("span",{className:"small",children:[a.progress,"%",a.message?` · ${a.message}`:""]}),e.jsxs("div",{className:"job-actions",children:[a.status==="SUCCESS"&&a.url?e.jsx("a",{href:a.url,download:!0,"data-testid":"job-download",children:"Download"}):null,o?null:e.jsx("button",{type:"button",onClick:u,disabled:f,children:"Abort"})]}),a.error?e.jsx("div",{role:"alert",className:"error",children:a.error}):null,e.jsx(S,{error:r??i}),a.status==="SUCCESS"&&a.result!=null?e.jsxs("details",{children:[e.jsx("summary",{children:"Result"}),e.jsx(O,{value:a.result})]}):null]})}function Y(t,n){const s=t.get(n.id);if(s&&s.version>=n.version)return t;const a=new Map(t);return a.set(n.id,n),a}function pt({projectId:t}){const{data:n,error:s,reload:a}=L(We,{projectId:t}),[i,r]=l.useState(new Map),[p,f]=l.useState(null),[j,o]=l.useState(!1);if(l.useEffect(()=>{r(new Map);const c=se(()=>{o(!0),f(null),a()}),x=J(Qe,{projectId:t},b=>r(v=>Y(v,b.commandsUpdated)),b=>{o(!1),f(b)});return()=>{x(),c()}},[t,a]),l.useEffect(()=>{n?.project&&r(c=>n.project.commands.nodes.reduce(Y,c))},[n]),s)return e.jsx(S,{error:s});if(!n)return e.jsx(k,{what:"jobs"});const g=n.project;if(!g)return e.jsx(S,{error:new Error(`project ${t} not found`)});const u=[...i.values()].sort((c,x)=>x.createdAt.localeCompare(c.createdAt)),m=new Set(g.commands.nodes.map(c=>c.id)),h=g.commands.totalCount+u.filter(c=>!m.has(c.id)).length;return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${g.id}`,children:g.name})," / ",e.jsx("span",{children:"Jobs"})]}),e.jsxs("h1",{children:["Jobs ",e.jsxs("span",{className:"count",children:["(",h,")"]})]}),e.jsxs("p",{className:"muted","aria-live":"polite",children:[j?"Live: jobs started anywhere appear, and move, as they commit.":"Connecting…"," Exports start from a dataset's page."]}),e.jsx(S,{error:p}),u.length===0?e.jsx("p",{children:"No job yet."}):null,e.jsx("ul",{className:"plain jobs",children:u.map(c=>e.jsx(oe,{job:c,follow:!1},c.id))})]})}const ht=[{value:"COCO",label:"COCO (instances JSON)"},{value:"YOLO",label:"YOLO (Ultralytics)"},{value:"VOC",label:"Pascal VOC (XML)"},{value:"JSON",label:"labelgraph JSON (lossless)"}];function xt({datasetId:t,projectId:n,filter:s}){const[a,i]=l.useState("COCO"),[r,p]=l.useState(!1),[f,j]=l.useState(""),[o,g]=l.useState(!0),[u,m]=l.useState(!1),[h,c]=l.useState(null),[x,b]=l.useState([]);async function v(y){y.preventDefault(),m(!0),c(null);try{const d=f.split(",").map(w=>w.trim()).filter(Boolean),I=(await A(et,{input:{datasetId:t,format:a,includeFiles:r,splits:d.length?d:null,filter:s&&o?s:null}})).datasetExport;if(I.errors.length)throw new N(I.errors.map(w=>(w.field?`${w.field.join(".")}: `:"")+w.message).join("; "),I.errors[0].code);I.command&&b(w=>[I.command,...w])}catch(d){c(d)}finally{m(!1)}}return e.jsxs("details",{className:"export",children:[e.jsx("summary",{children:"Export"}),e.jsxs("form",{className:"filters",onSubmit:v,"aria-label":"Export the dataset",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-format",children:"Format"}),e.jsx("select",{id:"x-format",value:a,onChange:y=>i(y.target.value),children:ht.map(y=>e.jsx("option",{value:y.value,children:y.label},y.value))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-splits",children:"Splits"}),e.jsx("input",{id:"x-splits",value:f,placeholder:"all, or train, val",onChange:y=>j(y.target.value)})]}),e.jsxs("div",{className:"field check",children:[e.jsx("input",{id:"x-files",type:"checkbox",checked:r,onChange:y=>p(y.target.checked)}),e.jsx("label",{htmlFor:"x-files",children:"Include the files"})]}),s?e.jsxs("div",{className:"field check",children:[e.jsx("input",{id:"x-filtered",type:"checkbox",checked:o,onChange:y=>g(y.target.checked)}),e.jsx("label",{htmlFor:"x-filtered",children:"Only the filtered items"})]}):null,e.jsx("button",{type:"submit",disabled:u,children:"Start export"})]}),e.jsx(S,{error:h}),x.length?e.jsxs(e.Fragment,{children:[e.jsx("ul",{className:"plain jobs",children:x.map(y=>e.jsx(oe,{job:y},y.id))}),e.jsx("p",{children:e.jsx("a",{href:`#/projects/${n}/jobs`,children:"All the project's jobs"})})]}):null]})}const ft=100,G=168,D=156,M={dir:"",name:"",annotated:"",label:"",metaPath:"",metaValue:""};function W(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.label&&(n.annotations={label:{eq:t.label}}),t.metaPath){let s=t.metaValue;try{s=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:s}]}return Object.keys(n).length?n:null}function jt({id:t}){const[n,s]=l.useState(M),[a,i]=l.useState(M),[r,p]=l.useState(null),[f,j]=l.useState([]),[o,g]=l.useState(null),[u,m]=l.useState({end:null,more:!0}),[h,c]=l.useState(null),x=l.useRef(!1),b=l.useRef(0),v=l.useCallback(async(d,$)=>{if(x.current&&!$)return;x.current=!0;const I=$?++b.current:b.current;try{const w=await A(Me,{id:t,first:ft,after:d,filter:W(a)});if(I!==b.current)return;const F=w.dataset;if(!F)throw new N(`dataset ${t} not found`,"NOT_FOUND");p(F),g(F.items.totalCount),j(ce=>$?F.items.nodes:[...ce,...F.items.nodes]),m({end:F.items.pageInfo.endCursor??null,more:F.items.pageInfo.hasNextPage}),c(null)}catch(w){I===b.current&&c(w)}finally{I===b.current&&(x.current=!1)}},[t,a]);l.useEffect(()=>{j([]),g(null),v(null,!0)},[v]);function y(d){d.preventDefault(),i(n)}return e.jsxs("section",{children:[r?e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${r.project.id}`,children:r.project.name})," / ",e.jsx("span",{children:r.name})]}):null,e.jsx("h1",{children:r?.name??"Dataset"}),r?e.jsx(xt,{datasetId:r.id,projectId:r.project.id,filter:W(a)}):null,e.jsxs("form",{className:"filters",onSubmit:y,"aria-label":"Filter items",children:[e.jsx(T,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:d=>s({...n,dir:d.target.value})})}),e.jsx(T,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:d=>s({...n,name:d.target.value})})}),e.jsx(T,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:d=>s({...n,annotated:d.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(T,{id:"f-label",label:"Label",children:e.jsxs("select",{id:"f-label",value:n.label,onChange:d=>s({...n,label:d.target.value}),children:[e.jsx("option",{value:"",children:"any"}),(r?.labels??[]).map(d=>e.jsx("option",{value:d.tag,children:d.tag},d.tag))]})}),e.jsx(T,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:d=>s({...n,metaPath:d.target.value})})}),e.jsx(T,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:d=>s({...n,metaValue:d.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{s(M),i(M)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[o===null?"Loading items…":`${o.toLocaleString("en")} item${o===1?"":"s"}`,o!==null&&f.length<o?` (${f.length.toLocaleString("en")} loaded)`:""]}),e.jsx(S,{error:h}),e.jsx(gt,{items:f,more:u.more,onNeedMore:()=>u.more&&void v(u.end,!1),onOpen:()=>ot({datasetId:t,ids:f.map(d=>d.id)})})]})}function T({id:t,label:n,children:s}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),s]})}function gt({items:t,more:n,onNeedMore:s,onOpen:a}){const i=l.useRef(null),[r,p]=l.useState({top:0,width:800,height:600}),[f,j]=l.useState(0),o=Math.max(1,Math.floor(r.width/G)),g=Math.ceil(t.length/o),u=Math.max(0,Math.floor(r.top/D)-2),m=Math.min(g,Math.ceil((r.top+r.height)/D)+2),h=l.useCallback(()=>{const b=i.current;b&&p({top:b.scrollTop,width:b.clientWidth,height:b.clientHeight})},[]);l.useLayoutEffect(()=>{h();const b=new ResizeObserver(h);return i.current&&b.observe(i.current),()=>b.disconnect()},[h]),l.useEffect(()=>{n&&m*o>=t.length-o*2-1&&s()},[n,m,o,t.length,s]);function c(b){const v={ArrowRight:1,ArrowLeft:-1,ArrowDown:o,ArrowUp:-o,Home:-t.length,End:t.length}[b.key];if(v===void 0||!t.length)return;b.preventDefault();const y=Math.min(t.length-1,Math.max(0,f+v));j(y);const d=i.current,$=Math.floor(y/o)*D;$<d.scrollTop?d.scrollTop=$:$+D>d.scrollTop+d.clientHeight&&(d.scrollTop=$+D-d.clientHeight),requestAnimationFrame(()=>i.current?.querySelector(`[data-index="${y}"]`)?.focus())}const x=[];for(let b=u*o;b<Math.min(t.length,m*o);b++){const v=t[b],y=at(v);x.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(b/o)*D,left:b%o*G},children:e.jsxs("a",{href:`#/items/${v.id}`,"data-index":b,"data-item-id":v.id,tabIndex:b===f?0:-1,onFocus:()=>j(b),onClick:a,children:[y?e.jsx("img",{src:y,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:v.type==="dir"?"📁":(v.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:v.name}),e.jsxs("span",{className:"muted small",children:[v.annotationsCount," annotation",v.annotationsCount===1?"":"s"]})]})},v.id))}return e.jsx("div",{ref:i,className:"grid",onScroll:h,onKeyDown:c,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:g*D+(n?D:0),position:"relative"},children:x})})}const X=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function le(t){const n=t.coordinates;return X(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(X):[]}function bt({a:t,color:n}){const s=le(t),a={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},i=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&s.length>=2){const[r,p]=s;return e.jsx("rect",{...a,x:Math.min(r.x,p.x),y:Math.min(r.y,p.y),width:Math.abs(p.x-r.x),height:Math.abs(p.y-r.y),fill:n,fillOpacity:.15,children:i})}return t.type==="POLYGON"&&s.length>=3?e.jsx("polygon",{...a,points:s.map(r=>`${r.x},${r.y}`).join(" "),fill:n,fillOpacity:.2,children:i}):t.type==="POLYLINE"&&s.length>=2?e.jsx("polyline",{...a,points:s.map(r=>`${r.x},${r.y}`).join(" "),fill:"none",children:i}):t.type==="POINT"&&s.length>=1?e.jsx("circle",{...a,cx:s[0].x,cy:s[0].y,r:5,fill:n,children:i}):null}function vt({itemId:t,ts:n}){const s=n.task,[a,i]=l.useState(n.status??null),[r,p]=l.useState(n.status??""),[f,j]=l.useState(!1),[o,g]=l.useState(null);if(!s)return e.jsxs("li",{children:["task: ",a??"no status"]});const u=`status-${s.id}`,m=s.availableActions.find(c=>c.action===a);async function h(c){c.preventDefault(),j(!0);try{const x=r===""?null:r,v=(await A(Ye,{input:{taskId:s.id,itemId:t,status:x}})).itemStatusSet.errors[0];v?g(new N(v.message,v.code)):(i(x),g(null))}catch(x){g(x)}finally{j(!1)}}return e.jsxs("li",{"data-task-id":s.id,children:[e.jsxs("form",{className:"status-form",onSubmit:h,"aria-label":`Status in ${s.name}`,children:[e.jsxs("span",{children:[s.name,": "]}),m?e.jsx("span",{className:"swatch",style:{background:m.color},"aria-hidden":"true"}):null,e.jsx("strong",{"data-testid":"task-status",children:m?.displayName??a??"no status"})," ",e.jsx("label",{htmlFor:u,className:"visually-hidden",children:`New status in ${s.name}`}),e.jsxs("select",{id:u,value:r,onChange:c=>p(c.target.value),disabled:f,children:[e.jsx("option",{value:"",children:"no status"}),s.availableActions.map(c=>e.jsx("option",{value:c.action,children:c.displayName},c.action))]})," ",e.jsx("button",{type:"submit",disabled:f||r===(a??""),children:"Set status"})]}),e.jsx(S,{error:o})]})}function yt({item:t,anns:n,color:s}){const a=it(t),i=n.flatMap(le),[r,p]=l.useState(null),[f,j]=l.useState(0),o=r?.w??t.width??Math.max(640,...i.map(x=>x.x+10)),g=r?.h??t.height??Math.max(480,...i.map(x=>x.y+10)),u=a!==null&&rt(t),m=x=>x.frame==null||x.frame<=f&&f<=(x.endFrame??x.frame),h=u?n.filter(m):n,c=e.jsxs("svg",{viewBox:`0 0 ${o} ${g}`,role:"img","data-testid":"annotation-canvas",preserveAspectRatio:"none","aria-label":`${t.name} with ${n.length} annotations`,className:a?"overlay":void 0,children:[a?null:e.jsx("rect",{width:o,height:g,className:"placeholder"}),h.map(x=>e.jsx(bt,{a:x,color:s(x.label)},x.id))]});return a?e.jsxs("div",{className:"stage",style:{aspectRatio:`${o} / ${g}`,maxWidth:`${o}px`},children:[u?e.jsx("video",{src:a,controls:!0,preload:"metadata","data-testid":"item-video","aria-label":t.name,onLoadedMetadata:x=>p({w:x.currentTarget.videoWidth,h:x.currentTarget.videoHeight}),onTimeUpdate:x=>j(Math.floor(x.currentTarget.currentTime*(t.fps??25))),onSeeked:x=>j(Math.floor(x.currentTarget.currentTime*(t.fps??25)))}):e.jsx("img",{src:a,alt:t.name,"data-testid":"item-image",onLoad:x=>p({w:x.currentTarget.naturalWidth,h:x.currentTarget.naturalHeight})}),c]}):c}function Et({datasetId:t,itemId:n}){const s=lt(t,n);return l.useEffect(()=>{function a(i){if(i.defaultPrevented||i.altKey||i.ctrlKey||i.metaKey||i.shiftKey)return;const r=i.target;if(r&&(r.closest("input, select, textarea, video, [contenteditable=true]")||r.isContentEditable))return;const p=i.key==="ArrowLeft"?s?.prev:i.key==="ArrowRight"?s?.next:void 0;p?(i.preventDefault(),location.hash=`#/items/${p}`):i.key==="Escape"&&(i.preventDefault(),location.hash=`#/datasets/${t}`)}return window.addEventListener("keydown",a),()=>window.removeEventListener("keydown",a)},[t,s?.prev,s?.next]),e.jsxs("nav",{"aria-label":"Items of the dataset",className:"item-nav",children:[s?.prev?e.jsx("a",{href:`#/items/${s.prev}`,rel:"prev",children:"← Previous"}):null,s?e.jsx("span",{"data-testid":"item-position",children:`${s.index+1} of ${s.total}`}):null,s?.next?e.jsx("a",{href:`#/items/${s.next}`,rel:"next",children:"Next →"}):null,e.jsxs("span",{className:"muted small",children:[s?"← → between items, ":"","Esc back to the grid"]})]})}function St({id:t}){const{data:n,error:s,loading:a}=L(Re,{id:t});if(s)return e.jsx(S,{error:s});if(a||!n)return e.jsx(k,{what:"the item"});const i=n.item;if(!i)return e.jsx(S,{error:new Error(`item ${t} not found`)});const r=new Map(i.dataset.labels.map(o=>[o.tag,o.color])),p=o=>r.get(o)??"#6b7280",f=i.annotations.nodes,j=f.filter(o=>o.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${i.dataset.project.id}`,children:i.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${i.dataset.id}`,children:i.dataset.name})," / ",e.jsx("span",{children:i.name})]}),e.jsx("h1",{children:i.name}),e.jsx(Et,{datasetId:i.dataset.id,itemId:i.id}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsx(yt,{item:i,anns:f,color:p}),e.jsx("figcaption",{children:j.map(o=>e.jsx("span",{className:"chip","data-annotation-id":o.id,"data-type":o.type,style:{borderColor:p(o.label)},children:o.label},o.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",i.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:f.map(o=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:p(o.label)},"aria-hidden":"true"}),o.label," ",e.jsx("span",{className:"muted",children:o.type.toLowerCase()})]},o.id))}),e.jsx("h2",{children:"Task statuses"}),i.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:i.taskStatuses.map((o,g)=>e.jsx(vt,{itemId:i.id,ts:o},o.task?.id??g))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:i.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:i.mimetype??i.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:i.width&&i.height?`${i.width} × ${i.height}`:"unknown"}),i.duration?e.jsxs(e.Fragment,{children:[e.jsx("dt",{children:"Duration"}),e.jsx("dd",{children:`${i.duration.toFixed(2)} s at ${i.fps??"?"} fps`})]}):null,e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:i.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(O,{value:i.metadata})]})]})]})}const Q=1e3,Z=18;function Ct(t,n,s,a){let i=0,r=[],p;const f=()=>{p=void 0;const o=r;r=[],o.length&&n(o)},j=J(Ge,{id:t},o=>{const g=o.executionLogs;g.seq<=i||(i=g.seq,r.push(g),p===void 0&&(p=setTimeout(f,50)))},s,()=>{clearTimeout(p),f(),a()});return()=>{clearTimeout(p),j()}}const $t={STDOUT:"out",STDERR:"err",LOG:"log"};function It({id:t}){const[n,s]=l.useState([]),[a,i]=l.useState(0),[r,p]=l.useState(!1),[f,j]=l.useState(null),[o,g]=l.useState(!0),[u,m]=l.useState(0),h=l.useRef(null),c=l.useRef(!0),x=l.useRef(0),b=l.useRef([]);l.useEffect(()=>(b.current=[],s([]),i(0),p(!1),j(null),m(0),Ct(t,d=>{c.current||m(w=>w+d.length);const $=b.current.concat(d),I=Math.max(0,$.length-Q);b.current=I?$.slice(I):$,x.current+=I,I&&i(w=>w+I),s(b.current),j(null)},j,()=>p(!0))),[t]),l.useLayoutEffect(()=>{const d=h.current;d&&(c.current?d.scrollTop=d.scrollHeight:x.current&&(d.scrollTop=Math.max(0,d.scrollTop-x.current*Z)),x.current=0)},[n]);function v(d){if(c.current=d,g(d),d){m(0);const $=h.current;$&&($.scrollTop=$.scrollHeight)}}function y(){const d=h.current,$=d.scrollHeight-d.scrollTop-d.clientHeight<Z/2;$!==c.current&&v($)}return e.jsxs("div",{className:"logs",children:[e.jsxs("p",{className:"muted small","aria-live":"polite","data-testid":"log-state",children:[n.length+a," line",n.length+a===1?"":"s",a?` (the first ${a.toLocaleString("en")} not shown: the last ${Q.toLocaleString("en")} are kept)`:"",r?" · ended":" · tailing",o?"":` · paused${u?`, ${u} new`:""} `,o?null:e.jsx("button",{type:"button",onClick:()=>v(!0),children:"Follow"})]}),e.jsx(S,{error:f}),e.jsxs("div",{ref:h,className:"logbox",role:"log","aria-live":"off","aria-label":"Execution logs",tabIndex:0,onScroll:y,"data-following":o?"yes":"no",children:[n.map(d=>e.jsxs("div",{className:`logline ${d.stream.toLowerCase()}${d.level?` ${d.level.toLowerCase()}`:""}`,"data-log-id":d.id,"data-stream":d.stream,"data-level":d.level??"",children:[e.jsx("time",{dateTime:d.time,children:d.time.slice(11,23)}),e.jsx("span",{className:"tag",children:d.level??$t[d.stream]??d.stream.toLowerCase()}),e.jsx("span",{className:"text",children:d.text})]},d.id)),n.length?null:e.jsx("div",{className:"logline muted-line",children:r?"No output.":"No output yet."})]})]})}const ee=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function wt({id:t}){const{data:n,error:s}=L(_e,{id:t}),[a,i]=l.useState(null),[r,p]=l.useState(null),[f,j]=l.useState(0);l.useEffect(()=>{i(null),j(0)},[t]),l.useEffect(()=>J(Be,{id:t},m=>i(h=>!h||m.executionUpdated.version>=h.version?m.executionUpdated:h),p),[t,f]);async function o(m){p(null);try{const h=m==="rerun"?(await A(Ve,{id:t})).executionRerun:(await A(Ke,{id:t})).executionTerminate;if(h.errors.length)throw new N(h.errors.map(c=>c.message).join("; "),h.errors[0].code);h.execution&&h.execution.id!==t?location.hash=`#/executions/${h.execution.id}`:m==="rerun"&&j(c=>c+1)}catch(h){p(h)}}if(s)return e.jsx(S,{error:s});if(!n)return e.jsx(k,{what:"the execution"});const g=n.execution;if(!g)return e.jsx(S,{error:new Error(`execution ${t} not found`)});const u=a&&a.version>=g.version?{...g,...a}:g;return e.jsxs("section",{children:[e.jsxs(P,{children:[e.jsx("a",{href:`#/projects/${u.project.id}`,children:u.project.name})," /"," ",e.jsx("a",{href:`#/projects/${u.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:u.id})]}),e.jsxs("h1",{children:[u.service.name,".",u.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:_(u.status)})," ",e.jsx(ie,{e:u})," ",u.progress,"%",u.latestStatus.message?e.jsxs(e.Fragment,{children:[" · ",e.jsx("span",{"data-testid":"execution-message",children:u.latestStatus.message})]}):null," ","· attempt ",u.attempts," of ",u.maxAttempts,u.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>o("rerun"),disabled:!ee.includes(u.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>o("terminate"),disabled:ee.includes(u.status),children:"Terminate"})]}),e.jsx(S,{error:r}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:u.statusLog.map((m,h)=>e.jsxs("tr",{children:[e.jsx("td",{children:m.timestamp}),e.jsx("td",{children:_(m.status)}),e.jsx("td",{className:"num",children:m.percentComplete??""}),e.jsx("td",{children:m.message??""})]},h))})]}),e.jsx("h2",{children:"Input"}),e.jsx(O,{value:u.input}),u.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(O,{value:u.output})]}):null,u.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(O,{value:u.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx(It,{id:u.id},f)]})}function Nt({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(dt,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)\/jobs$/))?e.jsx(pt,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(st,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(jt,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(St,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(wt,{id:n[1]}):e.jsx(nt,{})}function At(){const[t,n]=l.useState(q());l.useEffect(()=>me(()=>n(q())),[]);const s=pe();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>K(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(Nt,{route:s}):e.jsx(tt,{})})]})}de.createRoot(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx(At,{})}));
