import{a as l,j as e,c as ce}from"./index-Dqs7sZj5.js";import{c as de}from"./client-wkOhMJXj.js";const H="labelgraph.token",R="labelgraph.signedOut",V=new Set;function q(){return sessionStorage.getItem(H)}function Y(t){t?sessionStorage.setItem(H,t):sessionStorage.removeItem(H),P?.dispose(),P=null,z=!1,V.forEach(n=>n())}function ue(t){return V.add(t),()=>V.delete(t)}class N extends Error{constructor(n,a){super(n),this.code=a}code}function te(t){if(t.errors?.length){const n=t.errors[0],a=n.extensions?.code??null;throw a==="UNAUTHENTICATED"&&(sessionStorage.setItem(R,n.message),Y(null)),new N(t.errors.map(s=>s.message).join("; "),a)}return t.data}async function A(t,n){const a=q(),s=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",...a?{authorization:`Bearer ${a}`}:{}},body:JSON.stringify({query:t.toString(),variables:n??{}})});let i;try{i=await s.json()}catch{throw new N(`the gateway answered ${s.status} ${s.statusText}`,null)}return te(i)}let P=null,z=!1;function ne(){if(!P){const t=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/graphql`;P=de({url:t,connectionParams:()=>({authorization:`Bearer ${q()??""}`}),retryAttempts:5,lazy:!0,on:{connected:()=>{z=!0},closed:()=>{z=!1}}})}return P}function se(t){const n=ne();return z&&queueMicrotask(t),n.on("connected",t)}function M(t,n,a,s,i){return ne().subscribe({query:t.toString(),variables:n},{next:o=>{try{a(te(o))}catch(h){s(h)}},error:o=>{Array.isArray(o)?s(new N(o.map(h=>h.message).join("; "),null)):o instanceof CloseEvent?s(new N(`the subscription closed: ${o.reason||o.code}`,null)):s(new N(String(o?.message??o),null))},complete:()=>i?.()})}function L(t,n){const a=JSON.stringify(n),[s,i]=l.useState({data:null,error:null,loading:!0}),[o,h]=l.useState(0);l.useEffect(()=>{let m=!0;return i(r=>({...r,loading:!0})),A(t,JSON.parse(a)).then(r=>m&&i({data:r,error:null,loading:!1}),r=>m&&i({data:null,error:r,loading:!1})),()=>{m=!1}},[t,a,o]);const j=l.useCallback(()=>h(m=>m+1),[]);return{...s,reload:j}}function me(){const[t,n]=l.useState(location.hash.slice(1)||"/");return l.useEffect(()=>{const a=()=>n(location.hash.slice(1)||"/");return window.addEventListener("hashchange",a),()=>window.removeEventListener("hashchange",a)},[]),t}class y extends String{__apiType;value;__meta__;constructor(n,a){super(n),this.value=n,this.__meta__=a}toString(){return this.value}}new y(`
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
    `,{fragmentName:"ItemCard"});const pe=new y(`
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
    `,{fragmentName:"ExecutionFields"}),he=new y(`
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
    `,{fragmentName:"JobFields"}),xe=new y(`
    query Me {
  me {
    id
    email
    name
  }
}
    `),fe=new y(`
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
    `),je=new y(`
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
    `),ge=new y(`
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
}`),be=new y(`
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
    `),ve=new y(`
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
}`),ye=new y(`
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
}`),Ee=new y(`
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
}`),Ce=new y(`
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
}`),$e=new y(`
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
}`),Ie=new y(`
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
}`),we=new y(`
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
    `),Ae=new y(`
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
}`),De=new y(`
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
}`),Fe=new y(`
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
}`),Te=new y(`
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
}`),Le=new y(`
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
}`),ke={"\n  query Me {\n    me { id email name }\n  }\n":xe,"\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n":fe,"\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n":je,"\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n":ge,"\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n":be,"\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n":pe,"\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n":ve,"\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n":ye,"\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":Ee,"\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n":Ce,"\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Se,"\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":$e,"\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n":Ie,"\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n":we,"\n  subscription ExecutionLogs($id: ID!) {\n    executionLogs(id: $id) { id seq time stream level text attempt }\n  }\n":Ne,"\n  fragment JobFields on Command {\n    id type status progress message error result url version createdAt updatedAt\n  }\n":he,"\n  query ProjectJobs($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      commands(last: 100) {\n        totalCount\n        nodes { ...JobFields }\n      }\n    }\n  }\n":Ae,"\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) { ...JobFields }\n  }\n":De,"\n  subscription CommandsUpdated($projectId: ID!) {\n    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }\n  }\n":Fe,"\n  mutation CommandAbort($id: ID!) {\n    commandAbort(input: { id: $id }) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n":Te,"\n  mutation DatasetExport($input: DatasetExportInput!) {\n    datasetExport(input: $input) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n":Le};function S(t){return ke[t]??{}}const Ue=S(`
  query Me {
    me { id email name }
  }
`),Pe=S(`
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
`),Oe=S(`
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
`),Me=S(`
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
`),Je=S(`
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
`),qe=S(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`),ze=S(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`),_e=S(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`),Be=S(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),He=S(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ve=S(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`),Ye=S(`
  mutation ItemStatusSet($input: ItemStatusSetInput!) {
    itemStatusSet(input: $input) {
      itemIds
      errors { field code message }
    }
  }
`),Ge=S(`
  subscription ExecutionLogs($id: ID!) {
    executionLogs(id: $id) { id seq time stream level text attempt }
  }
`);S(`
  fragment JobFields on Command {
    id type status progress message error result url version createdAt updatedAt
  }
`);const Ke=S(`
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
`),We=S(`
  subscription CommandUpdated($id: ID!) {
    commandUpdated(id: $id) { ...JobFields }
  }
`),Xe=S(`
  subscription CommandsUpdated($projectId: ID!) {
    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }
  }
`),Qe=S(`
  mutation CommandAbort($id: ID!) {
    commandAbort(input: { id: $id }) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`),Ze=S(`
  mutation DatasetExport($input: DatasetExportInput!) {
    datasetExport(input: $input) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`);function C({error:t}){if(!t)return null;const n=t.code;return e.jsxs("div",{role:"alert",className:"error",children:[n?e.jsxs("strong",{children:[n,": "]}):null,t.message]})}function k({what:t}){return e.jsxs("p",{"aria-live":"polite",className:"muted",children:["Loading ",t,"…"]})}function U({children:t}){return e.jsx("nav",{"aria-label":"Breadcrumb",className:"crumbs",children:t})}function O({value:t}){return e.jsx("pre",{className:"json",tabIndex:0,children:JSON.stringify(t,null,2)})}function et(){const[t,n]=l.useState(""),[a,s]=l.useState(null),[i,o]=l.useState(!1),h=sessionStorage.getItem(R);async function j(m){m.preventDefault(),o(!0),s(null),sessionStorage.setItem("labelgraph.token",t.trim());try{await A(Ue),sessionStorage.removeItem(R),Y(t.trim())}catch(r){sessionStorage.removeItem("labelgraph.token"),sessionStorage.removeItem(R),s(r)}finally{o(!1)}}return e.jsxs("section",{className:"signin",children:[e.jsx("h1",{children:"Sign in"}),e.jsxs("p",{children:["Paste an API token (",e.jsx("code",{children:"lg_…"}),"). It is kept in this tab's session storage only."]}),h?e.jsxs("div",{role:"alert",className:"error",children:["Signed out: ",h]}):null,e.jsxs("form",{onSubmit:j,children:[e.jsx("label",{htmlFor:"token",children:"API token"}),e.jsx("input",{id:"token",name:"token",type:"password",autoComplete:"off",value:t,onChange:m=>n(m.target.value),required:!0}),e.jsx("button",{type:"submit",disabled:i,children:"Sign in"})]}),e.jsx(C,{error:a})]})}function tt(){const{data:t,error:n,loading:a}=L(Pe,{});return n?e.jsx(C,{error:n}):a||!t?e.jsx(k,{what:"organizations"}):e.jsxs("section",{children:[e.jsxs("h1",{children:["Organizations ",e.jsxs("span",{className:"count",children:["(",t.organizations.totalCount,")"]})]}),t.organizations.nodes.length===0?e.jsx("p",{children:"You belong to no organization yet."}):null,t.organizations.nodes.map(s=>e.jsxs("article",{className:"card org",children:[e.jsxs("h2",{children:[s.name," ",e.jsx("span",{className:"muted",children:s.plan})]}),e.jsxs("p",{children:[s.projects.totalCount," project",s.projects.totalCount===1?"":"s"]}),e.jsx("ul",{className:"plain",children:s.projects.nodes.map(i=>e.jsxs("li",{children:[e.jsx("a",{href:`#/projects/${i.id}`,children:i.name})," ",e.jsxs("span",{className:"muted",children:[i.datasets.totalCount," dataset",i.datasets.totalCount===1?"":"s"]})]},i.id))})]},s.id))]})}function nt({id:t}){const{data:n,error:a,loading:s}=L(Oe,{id:t});if(a)return e.jsx(C,{error:a});if(s||!n)return e.jsx(k,{what:"the project"});const i=n.project;return i?e.jsxs("section",{children:[e.jsxs(U,{children:[e.jsx("a",{href:"#/",children:i.organization.name})," / ",e.jsx("span",{children:i.name})]}),e.jsx("h1",{children:i.name}),i.description?e.jsx("p",{children:i.description}):null,e.jsxs("p",{children:[e.jsx("a",{href:`#/projects/${i.id}/executions`,children:"Executions board"})," (",i.services.nodes.length," services) ·"," ",e.jsx("a",{href:`#/projects/${i.id}/jobs`,children:"Jobs"})," (exports, clones, merges)"]}),e.jsxs("h2",{children:["Datasets ",e.jsxs("span",{className:"count",children:["(",i.datasets.totalCount,")"]})]}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Dataset"}),e.jsx("th",{scope:"col",children:"Items"}),e.jsx("th",{scope:"col",children:"Annotated"})]})}),e.jsx("tbody",{children:i.datasets.nodes.map(o=>e.jsxs("tr",{children:[e.jsxs("td",{children:[e.jsx("a",{href:`#/datasets/${o.id}`,children:o.name}),o.readonly?" (read-only)":""]}),e.jsx("td",{className:"num",children:o.itemsCount}),e.jsx("td",{className:"num",children:o.annotatedCount})]},o.id))})]})]}):e.jsx(C,{error:new Error(`project ${t} not found`)})}function st(t){return t.thumbnailUrl??null}function at(t){return t.url??null}function it(t){return(t.mimetype??"").startsWith("video/")}const rt=["CREATED","IN_PROGRESS","SUCCESS","FAILED","SYSTEM_FAILURE","TERMINATED","ABORTED","CANCELED"],_=t=>t.toLowerCase().replace("_"," ");function B(t,n){const a=t.get(n.id);if(a&&a.version>n.version)return t;const s=new Map(t);return s.set(n.id,n),s}function ae({e:t}){return e.jsxs("progress",{max:100,value:t.progress,"aria-label":`progress of ${t.functionName} ${t.id}`,children:[t.progress,"%"]})}function ot({projectId:t}){const{data:n,error:a,reload:s}=L(Re,{projectId:t}),[i,o]=l.useState(new Map),[h,j]=l.useState(null),[m,r]=l.useState(!1);if(l.useEffect(()=>{const x=se(()=>{r(!0),s()}),g=M(qe,{projectId:t},d=>o(c=>B(c,d.executionsUpdated)),d=>{r(!1),j(d)});return()=>{g(),x()}},[t,s]),l.useEffect(()=>{n?.project&&o(x=>n.project.executions.nodes.reduce(B,x))},[n]),a)return e.jsx(C,{error:a});if(!n)return e.jsx(k,{what:"executions"});const f=n.project;if(!f)return e.jsx(C,{error:new Error(`project ${t} not found`)});const p=[...i.values()].sort((x,g)=>g.createdAt.localeCompare(x.createdAt));return e.jsxs("section",{children:[e.jsxs(U,{children:[e.jsx("a",{href:`#/projects/${f.id}`,children:f.name})," / ",e.jsx("span",{children:"Executions"})]}),e.jsxs("h1",{children:["Executions ",e.jsxs("span",{className:"count",children:["(",p.length,")"]})]}),e.jsx("p",{className:"muted","aria-live":"polite",children:m?"Live: changes appear as they commit.":"Connecting…"}),e.jsx(C,{error:h}),e.jsx(lt,{services:f.services.nodes,onStarted:x=>o(g=>B(g,x))}),e.jsx("div",{className:"board",children:rt.filter(x=>["CREATED","IN_PROGRESS","SUCCESS","FAILED"].includes(x)||p.some(g=>g.status===x)).map(x=>{const g=p.filter(d=>d.status===x);return e.jsxs("section",{className:"column","data-status":x,"aria-labelledby":`col-${x}`,children:[e.jsxs("h2",{id:`col-${x}`,children:[_(x)," ",e.jsxs("span",{className:"count",children:["(",g.length,")"]})]}),e.jsx("ul",{className:"plain",children:g.map(d=>e.jsxs("li",{className:"excard","data-execution-id":d.id,"data-status":d.status,children:[e.jsxs("a",{href:`#/executions/${d.id}`,children:[d.service.name,".",d.functionName]}),e.jsx(ae,{e:d}),e.jsx("span",{className:"small muted",children:d.latestStatus.message??""})]},d.id))})]},x)})})]})}function lt({services:t,onStarted:n}){const[a,s]=l.useState(t[0]?.id??""),[i,o]=l.useState("run"),[h,j]=l.useState("{}"),[m,r]=l.useState(null);async function f(p){p.preventDefault(),r(null);let x;try{x=JSON.parse(h||"{}")}catch(g){r(new Error(`input: not JSON (${g.message})`));return}try{const d=(await A(Be,{input:{serviceId:a,functionName:i,input:x}})).executionCreate;if(d.errors.length)throw new N(d.errors.map(c=>(c.field?`${c.field.join(".")}: `:"")+c.message).join("; "),d.errors[0].code);d.execution&&n(d.execution)}catch(g){r(g)}}return t.length?e.jsxs("form",{className:"filters",onSubmit:f,"aria-label":"Start an execution",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-service",children:"Service"}),e.jsx("select",{id:"x-service",value:a,onChange:p=>s(p.target.value),children:t.map(p=>e.jsxs("option",{value:p.id,children:[p.name,p.active?"":" (inactive)"]},p.id))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-function",children:"Function"}),e.jsx("input",{id:"x-function",value:i,onChange:p=>o(p.target.value)})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-input",children:"Input (JSON)"}),e.jsx("input",{id:"x-input",value:h,onChange:p=>j(p.target.value)})]}),e.jsx("button",{type:"submit",children:"Start execution"}),e.jsx(C,{error:m})]}):e.jsx("p",{className:"muted",children:"This project has no service to run."})}const ie=["SUCCESS","FAILED","ABORTED"];function ct(t,n=!0){const[a,s]=l.useState(t),[i,o]=l.useState(null);l.useEffect(()=>{s(j=>j.id===t.id&&j.version>=t.version?j:t)},[t]);const h=ie.includes(t.status);return l.useEffect(()=>{if(!(h||!n))return M(We,{id:t.id},j=>s(m=>j.commandUpdated.version>=m.version?j.commandUpdated:m),o)},[t.id,h,n]),[a,i]}function re({job:t,follow:n=!0,onEnded:a}){const[s,i]=ct(t,n),[o,h]=l.useState(null),[j,m]=l.useState(!1),r=ie.includes(s.status),f=l.useRef(r);l.useEffect(()=>{r&&!f.current&&(f.current=!0,a?.(s))},[r,s,a]);async function p(){m(!0),h(null);try{const x=(await A(Qe,{id:s.id})).commandAbort;if(x.errors.length)throw new N(x.errors.map(g=>g.message).join("; "),x.errors[0].code)}catch(x){h(x)}finally{m(!1)}}return e.jsxs("li",{className:"job card","data-job-id":s.id,"data-status":s.status,children:[e.jsxs("div",{className:"job-head",children:[e.jsx("strong",{children:s.type})," ",e.jsx("span",{className:`badge ${s.status.toLowerCase()}`,"data-testid":"job-status",children:_(s.status)}),e.jsxs("span",{className:"muted small",children:[s.id," · ",s.createdAt.slice(0,19).replace("T"," ")]})]}),e.jsxs("progress",{max:100,value:s.progress,"aria-label":`progress of ${s.type} ${s.id}`,children:[s.progress,"%"]}),e.jsxs("span",{className:"small",children:[s.progress,"%",s.message?` · ${s.message}`:""]}),e.jsxs("div",{className:"job-actions",children:[s.status==="SUCCESS"&&s.url?e.jsx("a",{href:s.url,download:!0,"data-testid":"job-download",children:"Download"}):null,r?null:e.jsx("button",{type:"button",onClick:p,disabled:j,children:"Abort"})]}),s.error?e.jsx("div",{role:"alert",className:"error",children:s.error}):null,e.jsx(C,{error:o??i}),s.status==="SUCCESS"&&s.result!=null?e.jsxs("details",{children:[e.jsx("summary",{children:"Result"}),e.jsx(O,{value:s.result})]}):null]})}function G(t,n){const a=t.get(n.id);if(a&&a.version>=n.version)return t;const s=new Map(t);return s.set(n.id,n),s}function dt({projectId:t}){const{data:n,error:a,reload:s}=L(Ke,{projectId:t}),[i,o]=l.useState(new Map),[h,j]=l.useState(null),[m,r]=l.useState(!1);if(l.useEffect(()=>{o(new Map);const d=se(()=>{r(!0),j(null),s()}),c=M(Xe,{projectId:t},b=>o(E=>G(E,b.commandsUpdated)),b=>{r(!1),j(b)});return()=>{c(),d()}},[t,s]),l.useEffect(()=>{n?.project&&o(d=>n.project.commands.nodes.reduce(G,d))},[n]),a)return e.jsx(C,{error:a});if(!n)return e.jsx(k,{what:"jobs"});const f=n.project;if(!f)return e.jsx(C,{error:new Error(`project ${t} not found`)});const p=[...i.values()].sort((d,c)=>c.createdAt.localeCompare(d.createdAt)),x=new Set(f.commands.nodes.map(d=>d.id)),g=f.commands.totalCount+p.filter(d=>!x.has(d.id)).length;return e.jsxs("section",{children:[e.jsxs(U,{children:[e.jsx("a",{href:`#/projects/${f.id}`,children:f.name})," / ",e.jsx("span",{children:"Jobs"})]}),e.jsxs("h1",{children:["Jobs ",e.jsxs("span",{className:"count",children:["(",g,")"]})]}),e.jsxs("p",{className:"muted","aria-live":"polite",children:[m?"Live: jobs started anywhere appear, and move, as they commit.":"Connecting…"," Exports start from a dataset's page."]}),e.jsx(C,{error:h}),p.length===0?e.jsx("p",{children:"No job yet."}):null,e.jsx("ul",{className:"plain jobs",children:p.map(d=>e.jsx(re,{job:d,follow:!1},d.id))})]})}const ut=[{value:"COCO",label:"COCO (instances JSON)"},{value:"YOLO",label:"YOLO (Ultralytics)"},{value:"VOC",label:"Pascal VOC (XML)"},{value:"JSON",label:"labelgraph JSON (lossless)"}];function mt({datasetId:t,projectId:n,filter:a}){const[s,i]=l.useState("COCO"),[o,h]=l.useState(!1),[j,m]=l.useState(""),[r,f]=l.useState(!0),[p,x]=l.useState(!1),[g,d]=l.useState(null),[c,b]=l.useState([]);async function E(v){v.preventDefault(),x(!0),d(null);try{const u=j.split(",").map(w=>w.trim()).filter(Boolean),I=(await A(Ze,{input:{datasetId:t,format:s,includeFiles:o,splits:u.length?u:null,filter:a&&r?a:null}})).datasetExport;if(I.errors.length)throw new N(I.errors.map(w=>(w.field?`${w.field.join(".")}: `:"")+w.message).join("; "),I.errors[0].code);I.command&&b(w=>[I.command,...w])}catch(u){d(u)}finally{x(!1)}}return e.jsxs("details",{className:"export",children:[e.jsx("summary",{children:"Export"}),e.jsxs("form",{className:"filters",onSubmit:E,"aria-label":"Export the dataset",children:[e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-format",children:"Format"}),e.jsx("select",{id:"x-format",value:s,onChange:v=>i(v.target.value),children:ut.map(v=>e.jsx("option",{value:v.value,children:v.label},v.value))})]}),e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:"x-splits",children:"Splits"}),e.jsx("input",{id:"x-splits",value:j,placeholder:"all, or train, val",onChange:v=>m(v.target.value)})]}),e.jsxs("div",{className:"field check",children:[e.jsx("input",{id:"x-files",type:"checkbox",checked:o,onChange:v=>h(v.target.checked)}),e.jsx("label",{htmlFor:"x-files",children:"Include the files"})]}),a?e.jsxs("div",{className:"field check",children:[e.jsx("input",{id:"x-filtered",type:"checkbox",checked:r,onChange:v=>f(v.target.checked)}),e.jsx("label",{htmlFor:"x-filtered",children:"Only the filtered items"})]}):null,e.jsx("button",{type:"submit",disabled:p,children:"Start export"})]}),e.jsx(C,{error:g}),c.length?e.jsxs(e.Fragment,{children:[e.jsx("ul",{className:"plain jobs",children:c.map(v=>e.jsx(re,{job:v},v.id))}),e.jsx("p",{children:e.jsx("a",{href:`#/projects/${n}/jobs`,children:"All the project's jobs"})})]}):null]})}const pt=100,K=168,D=156,J={dir:"",name:"",annotated:"",label:"",metaPath:"",metaValue:""};function W(t){const n={};if(t.dir&&(n.dir=t.dir.includes("*")?{glob:t.dir}:{eq:t.dir}),t.name&&(n.name=t.name.includes("*")||t.name.includes("?")?{glob:t.name}:{eq:t.name}),t.annotated&&(n.annotated=t.annotated==="yes"),t.label&&(n.annotations={label:{eq:t.label}}),t.metaPath){let a=t.metaValue;try{a=JSON.parse(t.metaValue)}catch{}n.metadata=[{path:t.metaPath,eq:a}]}return Object.keys(n).length?n:null}function ht({id:t}){const[n,a]=l.useState(J),[s,i]=l.useState(J),[o,h]=l.useState(null),[j,m]=l.useState([]),[r,f]=l.useState(null),[p,x]=l.useState({end:null,more:!0}),[g,d]=l.useState(null),c=l.useRef(!1),b=l.useRef(0),E=l.useCallback(async(u,$)=>{if(c.current&&!$)return;c.current=!0;const I=$?++b.current:b.current;try{const w=await A(Me,{id:t,first:pt,after:u,filter:W(s)});if(I!==b.current)return;const F=w.dataset;if(!F)throw new N(`dataset ${t} not found`,"NOT_FOUND");h(F),f(F.items.totalCount),m(le=>$?F.items.nodes:[...le,...F.items.nodes]),x({end:F.items.pageInfo.endCursor??null,more:F.items.pageInfo.hasNextPage}),d(null)}catch(w){I===b.current&&d(w)}finally{I===b.current&&(c.current=!1)}},[t,s]);l.useEffect(()=>{m([]),f(null),E(null,!0)},[E]);function v(u){u.preventDefault(),i(n)}return e.jsxs("section",{children:[o?e.jsxs(U,{children:[e.jsx("a",{href:`#/projects/${o.project.id}`,children:o.project.name})," / ",e.jsx("span",{children:o.name})]}):null,e.jsx("h1",{children:o?.name??"Dataset"}),o?e.jsx(mt,{datasetId:o.id,projectId:o.project.id,filter:W(s)}):null,e.jsxs("form",{className:"filters",onSubmit:v,"aria-label":"Filter items",children:[e.jsx(T,{id:"f-dir",label:"Directory",children:e.jsx("input",{id:"f-dir",value:n.dir,placeholder:"/train or /train/**",onChange:u=>a({...n,dir:u.target.value})})}),e.jsx(T,{id:"f-name",label:"Name",children:e.jsx("input",{id:"f-name",value:n.name,placeholder:"*.jpg",onChange:u=>a({...n,name:u.target.value})})}),e.jsx(T,{id:"f-annotated",label:"Annotated",children:e.jsxs("select",{id:"f-annotated",value:n.annotated,onChange:u=>a({...n,annotated:u.target.value}),children:[e.jsx("option",{value:"",children:"any"}),e.jsx("option",{value:"yes",children:"yes"}),e.jsx("option",{value:"no",children:"no"})]})}),e.jsx(T,{id:"f-label",label:"Label",children:e.jsxs("select",{id:"f-label",value:n.label,onChange:u=>a({...n,label:u.target.value}),children:[e.jsx("option",{value:"",children:"any"}),(o?.labels??[]).map(u=>e.jsx("option",{value:u.tag,children:u.tag},u.tag))]})}),e.jsx(T,{id:"f-path",label:"Metadata path",children:e.jsx("input",{id:"f-path",value:n.metaPath,placeholder:"user.split",onChange:u=>a({...n,metaPath:u.target.value})})}),e.jsx(T,{id:"f-value",label:"Metadata value",children:e.jsx("input",{id:"f-value",value:n.metaValue,placeholder:'"train" or 3',onChange:u=>a({...n,metaValue:u.target.value})})}),e.jsx("button",{type:"submit",children:"Filter"}),e.jsx("button",{type:"button",onClick:()=>{a(J),i(J)},children:"Clear"})]}),e.jsxs("p",{"aria-live":"polite",className:"count","data-testid":"item-count",children:[r===null?"Loading items…":`${r.toLocaleString("en")} item${r===1?"":"s"}`,r!==null&&j.length<r?` (${j.length.toLocaleString("en")} loaded)`:""]}),e.jsx(C,{error:g}),e.jsx(xt,{items:j,more:p.more,onNeedMore:()=>p.more&&void E(p.end,!1)})]})}function T({id:t,label:n,children:a}){return e.jsxs("div",{className:"field",children:[e.jsx("label",{htmlFor:t,children:n}),a]})}function xt({items:t,more:n,onNeedMore:a}){const s=l.useRef(null),[i,o]=l.useState({top:0,width:800,height:600}),[h,j]=l.useState(0),m=Math.max(1,Math.floor(i.width/K)),r=Math.ceil(t.length/m),f=Math.max(0,Math.floor(i.top/D)-2),p=Math.min(r,Math.ceil((i.top+i.height)/D)+2),x=l.useCallback(()=>{const c=s.current;c&&o({top:c.scrollTop,width:c.clientWidth,height:c.clientHeight})},[]);l.useLayoutEffect(()=>{x();const c=new ResizeObserver(x);return s.current&&c.observe(s.current),()=>c.disconnect()},[x]),l.useEffect(()=>{n&&p*m>=t.length-m*2-1&&a()},[n,p,m,t.length,a]);function g(c){const b={ArrowRight:1,ArrowLeft:-1,ArrowDown:m,ArrowUp:-m,Home:-t.length,End:t.length}[c.key];if(b===void 0||!t.length)return;c.preventDefault();const E=Math.min(t.length-1,Math.max(0,h+b));j(E);const v=s.current,u=Math.floor(E/m)*D;u<v.scrollTop?v.scrollTop=u:u+D>v.scrollTop+v.clientHeight&&(v.scrollTop=u+D-v.clientHeight),requestAnimationFrame(()=>s.current?.querySelector(`[data-index="${E}"]`)?.focus())}const d=[];for(let c=f*m;c<Math.min(t.length,p*m);c++){const b=t[c],E=st(b);d.push(e.jsx("div",{role:"listitem",className:"cell",style:{top:Math.floor(c/m)*D,left:c%m*K},children:e.jsxs("a",{href:`#/items/${b.id}`,"data-index":c,"data-item-id":b.id,tabIndex:c===h?0:-1,onFocus:()=>j(c),children:[E?e.jsx("img",{src:E,alt:"",loading:"lazy"}):e.jsx("span",{className:"thumb","aria-hidden":"true",children:b.type==="dir"?"📁":(b.mimetype??"file").split("/")[0]}),e.jsx("span",{className:"name",children:b.name}),e.jsxs("span",{className:"muted small",children:[b.annotationsCount," annotation",b.annotationsCount===1?"":"s"]})]})},b.id))}return e.jsx("div",{ref:s,className:"grid",onScroll:x,onKeyDown:g,children:e.jsx("div",{role:"list","aria-label":"Items",style:{height:r*D+(n?D:0),position:"relative"},children:d})})}const X=t=>typeof t=="object"&&t!==null&&typeof t.x=="number"&&typeof t.y=="number";function oe(t){const n=t.coordinates;return X(n)?[n]:Array.isArray(n)?(Array.isArray(n[0])?n[0]:n).filter(X):[]}function ft({a:t,color:n}){const a=oe(t),s={"data-annotation-id":t.id,"data-type":t.type,"data-label":t.label,stroke:n,className:"shape"},i=e.jsx("title",{children:`${t.label} (${t.type.toLowerCase()})`});if(t.type==="BOX"&&a.length>=2){const[o,h]=a;return e.jsx("rect",{...s,x:Math.min(o.x,h.x),y:Math.min(o.y,h.y),width:Math.abs(h.x-o.x),height:Math.abs(h.y-o.y),fill:n,fillOpacity:.15,children:i})}return t.type==="POLYGON"&&a.length>=3?e.jsx("polygon",{...s,points:a.map(o=>`${o.x},${o.y}`).join(" "),fill:n,fillOpacity:.2,children:i}):t.type==="POLYLINE"&&a.length>=2?e.jsx("polyline",{...s,points:a.map(o=>`${o.x},${o.y}`).join(" "),fill:"none",children:i}):t.type==="POINT"&&a.length>=1?e.jsx("circle",{...s,cx:a[0].x,cy:a[0].y,r:5,fill:n,children:i}):null}function jt({itemId:t,ts:n}){const a=n.task,[s,i]=l.useState(n.status??null),[o,h]=l.useState(n.status??""),[j,m]=l.useState(!1),[r,f]=l.useState(null);if(!a)return e.jsxs("li",{children:["task: ",s??"no status"]});const p=`status-${a.id}`,x=a.availableActions.find(d=>d.action===s);async function g(d){d.preventDefault(),m(!0);try{const c=o===""?null:o,E=(await A(Ye,{input:{taskId:a.id,itemId:t,status:c}})).itemStatusSet.errors[0];E?f(new N(E.message,E.code)):(i(c),f(null))}catch(c){f(c)}finally{m(!1)}}return e.jsxs("li",{"data-task-id":a.id,children:[e.jsxs("form",{className:"status-form",onSubmit:g,"aria-label":`Status in ${a.name}`,children:[e.jsxs("span",{children:[a.name,": "]}),x?e.jsx("span",{className:"swatch",style:{background:x.color},"aria-hidden":"true"}):null,e.jsx("strong",{"data-testid":"task-status",children:x?.displayName??s??"no status"})," ",e.jsx("label",{htmlFor:p,className:"visually-hidden",children:`New status in ${a.name}`}),e.jsxs("select",{id:p,value:o,onChange:d=>h(d.target.value),disabled:j,children:[e.jsx("option",{value:"",children:"no status"}),a.availableActions.map(d=>e.jsx("option",{value:d.action,children:d.displayName},d.action))]})," ",e.jsx("button",{type:"submit",disabled:j||o===(s??""),children:"Set status"})]}),e.jsx(C,{error:r})]})}function gt({item:t,anns:n,color:a}){const s=at(t),i=n.flatMap(oe),[o,h]=l.useState(null),[j,m]=l.useState(0),r=o?.w??t.width??Math.max(640,...i.map(c=>c.x+10)),f=o?.h??t.height??Math.max(480,...i.map(c=>c.y+10)),p=s!==null&&it(t),x=c=>c.frame==null||c.frame<=j&&j<=(c.endFrame??c.frame),g=p?n.filter(x):n,d=e.jsxs("svg",{viewBox:`0 0 ${r} ${f}`,role:"img","data-testid":"annotation-canvas",preserveAspectRatio:"none","aria-label":`${t.name} with ${n.length} annotations`,className:s?"overlay":void 0,children:[s?null:e.jsx("rect",{width:r,height:f,className:"placeholder"}),g.map(c=>e.jsx(ft,{a:c,color:a(c.label)},c.id))]});return s?e.jsxs("div",{className:"stage",style:{aspectRatio:`${r} / ${f}`,maxWidth:`${r}px`},children:[p?e.jsx("video",{src:s,controls:!0,preload:"metadata","data-testid":"item-video","aria-label":t.name,onLoadedMetadata:c=>h({w:c.currentTarget.videoWidth,h:c.currentTarget.videoHeight}),onTimeUpdate:c=>m(Math.floor(c.currentTarget.currentTime*(t.fps??25))),onSeeked:c=>m(Math.floor(c.currentTarget.currentTime*(t.fps??25)))}):e.jsx("img",{src:s,alt:t.name,"data-testid":"item-image",onLoad:c=>h({w:c.currentTarget.naturalWidth,h:c.currentTarget.naturalHeight})}),d]}):d}function bt({id:t}){const{data:n,error:a,loading:s}=L(Je,{id:t});if(a)return e.jsx(C,{error:a});if(s||!n)return e.jsx(k,{what:"the item"});const i=n.item;if(!i)return e.jsx(C,{error:new Error(`item ${t} not found`)});const o=new Map(i.dataset.labels.map(r=>[r.tag,r.color])),h=r=>o.get(r)??"#6b7280",j=i.annotations.nodes,m=j.filter(r=>r.type==="CLASSIFICATION");return e.jsxs("section",{children:[e.jsxs(U,{children:[e.jsx("a",{href:`#/projects/${i.dataset.project.id}`,children:i.dataset.project.name})," /"," ",e.jsx("a",{href:`#/datasets/${i.dataset.id}`,children:i.dataset.name})," / ",e.jsx("span",{children:i.name})]}),e.jsx("h1",{children:i.name}),e.jsxs("div",{className:"item-layout",children:[e.jsxs("figure",{className:"canvas",children:[e.jsx(gt,{item:i,anns:j,color:h}),e.jsx("figcaption",{children:m.map(r=>e.jsx("span",{className:"chip","data-annotation-id":r.id,"data-type":r.type,style:{borderColor:h(r.label)},children:r.label},r.id))})]}),e.jsxs("aside",{children:[e.jsxs("h2",{children:["Annotations (",i.annotations.totalCount,")"]}),e.jsx("ul",{className:"plain",children:j.map(r=>e.jsxs("li",{children:[e.jsx("span",{className:"swatch",style:{background:h(r.label)},"aria-hidden":"true"}),r.label," ",e.jsx("span",{className:"muted",children:r.type.toLowerCase()})]},r.id))}),e.jsx("h2",{children:"Task statuses"}),i.taskStatuses.length===0?e.jsx("p",{className:"muted",children:"No task has this item."}):e.jsx("ul",{className:"plain",children:i.taskStatuses.map((r,f)=>e.jsx(jt,{itemId:i.id,ts:r},r.task?.id??f))}),e.jsx("h2",{children:"Details"}),e.jsxs("dl",{children:[e.jsx("dt",{children:"Directory"}),e.jsx("dd",{children:i.dir}),e.jsx("dt",{children:"Type"}),e.jsx("dd",{children:i.mimetype??i.type}),e.jsx("dt",{children:"Size"}),e.jsx("dd",{children:i.width&&i.height?`${i.width} × ${i.height}`:"unknown"}),i.duration?e.jsxs(e.Fragment,{children:[e.jsx("dt",{children:"Duration"}),e.jsx("dd",{children:`${i.duration.toFixed(2)} s at ${i.fps??"?"} fps`})]}):null,e.jsx("dt",{children:"Updated"}),e.jsx("dd",{children:i.updatedAt})]}),e.jsx("h2",{children:"Metadata"}),e.jsx(O,{value:i.metadata})]})]})]})}const Q=1e3,Z=18;function vt(t,n,a,s){let i=0,o=[],h;const j=()=>{h=void 0;const r=o;o=[],r.length&&n(r)},m=M(Ge,{id:t},r=>{const f=r.executionLogs;f.seq<=i||(i=f.seq,o.push(f),h===void 0&&(h=setTimeout(j,50)))},a,()=>{clearTimeout(h),j(),s()});return()=>{clearTimeout(h),m()}}const yt={STDOUT:"out",STDERR:"err",LOG:"log"};function Et({id:t}){const[n,a]=l.useState([]),[s,i]=l.useState(0),[o,h]=l.useState(!1),[j,m]=l.useState(null),[r,f]=l.useState(!0),[p,x]=l.useState(0),g=l.useRef(null),d=l.useRef(!0),c=l.useRef(0),b=l.useRef([]);l.useEffect(()=>(b.current=[],a([]),i(0),h(!1),m(null),x(0),vt(t,u=>{d.current||x(w=>w+u.length);const $=b.current.concat(u),I=Math.max(0,$.length-Q);b.current=I?$.slice(I):$,c.current+=I,I&&i(w=>w+I),a(b.current),m(null)},m,()=>h(!0))),[t]),l.useLayoutEffect(()=>{const u=g.current;u&&(d.current?u.scrollTop=u.scrollHeight:c.current&&(u.scrollTop=Math.max(0,u.scrollTop-c.current*Z)),c.current=0)},[n]);function E(u){if(d.current=u,f(u),u){x(0);const $=g.current;$&&($.scrollTop=$.scrollHeight)}}function v(){const u=g.current,$=u.scrollHeight-u.scrollTop-u.clientHeight<Z/2;$!==d.current&&E($)}return e.jsxs("div",{className:"logs",children:[e.jsxs("p",{className:"muted small","aria-live":"polite","data-testid":"log-state",children:[n.length+s," line",n.length+s===1?"":"s",s?` (the first ${s.toLocaleString("en")} not shown: the last ${Q.toLocaleString("en")} are kept)`:"",o?" · ended":" · tailing",r?"":` · paused${p?`, ${p} new`:""} `,r?null:e.jsx("button",{type:"button",onClick:()=>E(!0),children:"Follow"})]}),e.jsx(C,{error:j}),e.jsxs("div",{ref:g,className:"logbox",role:"log","aria-live":"off","aria-label":"Execution logs",tabIndex:0,onScroll:v,"data-following":r?"yes":"no",children:[n.map(u=>e.jsxs("div",{className:`logline ${u.stream.toLowerCase()}${u.level?` ${u.level.toLowerCase()}`:""}`,"data-log-id":u.id,"data-stream":u.stream,"data-level":u.level??"",children:[e.jsx("time",{dateTime:u.time,children:u.time.slice(11,23)}),e.jsx("span",{className:"tag",children:u.level??yt[u.stream]??u.stream.toLowerCase()}),e.jsx("span",{className:"text",children:u.text})]},u.id)),n.length?null:e.jsx("div",{className:"logline muted-line",children:o?"No output.":"No output yet."})]})]})}const ee=["SUCCESS","FAILED","TERMINATED","ABORTED","CANCELED","SYSTEM_FAILURE"];function Ct({id:t}){const{data:n,error:a}=L(ze,{id:t}),[s,i]=l.useState(null),[o,h]=l.useState(null);l.useEffect(()=>(i(null),M(_e,{id:t},f=>i(p=>!p||f.executionUpdated.version>=p.version?f.executionUpdated:p),h)),[t]);async function j(f){h(null);try{const p=f==="rerun"?(await A(He,{id:t})).executionRerun:(await A(Ve,{id:t})).executionTerminate;if(p.errors.length)throw new N(p.errors.map(x=>x.message).join("; "),p.errors[0].code);p.execution&&p.execution.id!==t&&(location.hash=`#/executions/${p.execution.id}`)}catch(p){h(p)}}if(a)return e.jsx(C,{error:a});if(!n)return e.jsx(k,{what:"the execution"});const m=n.execution;if(!m)return e.jsx(C,{error:new Error(`execution ${t} not found`)});const r=s&&s.version>=m.version?{...m,...s}:m;return e.jsxs("section",{children:[e.jsxs(U,{children:[e.jsx("a",{href:`#/projects/${r.project.id}`,children:r.project.name})," /"," ",e.jsx("a",{href:`#/projects/${r.project.id}/executions`,children:"Executions"})," / ",e.jsx("span",{children:r.id})]}),e.jsxs("h1",{children:[r.service.name,".",r.functionName]}),e.jsxs("p",{children:["Status: ",e.jsx("strong",{"data-testid":"execution-status",children:_(r.status)})," ",e.jsx(ae,{e:r})," ",r.progress,"% · attempt ",r.attempts," of ",r.maxAttempts,r.toTerminate?" · termination requested":""]}),e.jsxs("p",{children:[e.jsx("button",{type:"button",onClick:()=>j("rerun"),disabled:!ee.includes(r.status),children:"Rerun"})," ",e.jsx("button",{type:"button",onClick:()=>j("terminate"),disabled:ee.includes(r.status),children:"Terminate"})]}),e.jsx(C,{error:o}),e.jsx("h2",{children:"Status log"}),e.jsxs("table",{children:[e.jsx("thead",{children:e.jsxs("tr",{children:[e.jsx("th",{scope:"col",children:"Time"}),e.jsx("th",{scope:"col",children:"Status"}),e.jsx("th",{scope:"col",children:"%"}),e.jsx("th",{scope:"col",children:"Message"})]})}),e.jsx("tbody",{children:r.statusLog.map((f,p)=>e.jsxs("tr",{children:[e.jsx("td",{children:f.timestamp}),e.jsx("td",{children:_(f.status)}),e.jsx("td",{className:"num",children:f.percentComplete??""}),e.jsx("td",{children:f.message??""})]},p))})]}),e.jsx("h2",{children:"Input"}),e.jsx(O,{value:r.input}),r.output!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Output"}),e.jsx(O,{value:r.output})]}):null,r.error!=null?e.jsxs(e.Fragment,{children:[e.jsx("h2",{children:"Error"}),e.jsx(O,{value:r.error})]}):null,e.jsx("h2",{children:"Logs"}),e.jsx(Et,{id:r.id})]})}function St({route:t}){let n;return(n=t.match(/^\/projects\/([^/]+)\/executions$/))?e.jsx(ot,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)\/jobs$/))?e.jsx(dt,{projectId:n[1]}):(n=t.match(/^\/projects\/([^/]+)$/))?e.jsx(nt,{id:n[1]}):(n=t.match(/^\/datasets\/([^/]+)$/))?e.jsx(ht,{id:n[1]}):(n=t.match(/^\/items\/([^/]+)$/))?e.jsx(bt,{id:n[1]}):(n=t.match(/^\/executions\/([^/]+)$/))?e.jsx(Ct,{id:n[1]}):e.jsx(tt,{})}function $t(){const[t,n]=l.useState(q());l.useEffect(()=>ue(()=>n(q())),[]);const a=me();return e.jsxs(e.Fragment,{children:[e.jsxs("header",{className:"top",children:[e.jsx("a",{href:"#/",className:"brand",children:"labelgraph console"}),e.jsxs("nav",{"aria-label":"Main",children:[e.jsx("a",{href:"/graphql",children:"GraphiQL"}),t?e.jsx("button",{type:"button",onClick:()=>Y(null),children:"Sign out"}):null]})]}),e.jsx("main",{id:"main",children:t?e.jsx(St,{route:a}):e.jsx(et,{})})]})}ce.createRoot(document.getElementById("root")).render(e.jsx(l.StrictMode,{children:e.jsx($t,{})}));
