// Every operation the console sends. GraphQL Code Generator reads this file and writes typed document nodes
// into src/gql/ (`npm run codegen`): the console is typed end to end against schema/schema.graphql.
import { graphql } from "./gql";

export const Me = graphql(`
  query Me {
    me { id email name }
  }
`);

export const Organizations = graphql(`
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
`);

export const ProjectPage = graphql(`
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
`);

// Item thumbnails: ItemCard carries Item.thumbnailUrl (a signed URL on the gateway, null without content);
// ItemGrid renders it lazily (src/content.ts).
export const DatasetItems = graphql(`
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
`);

export const ItemPage = graphql(`
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
`);

export const ExecutionFields = graphql(`
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
`);

export const ProjectExecutions = graphql(`
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
`);

export const ExecutionsUpdated = graphql(`
  subscription ExecutionsUpdated($projectId: ID!) {
    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }
  }
`);

export const ExecutionPage = graphql(`
  query ExecutionPage($id: ID!) {
    execution(id: $id) {
      ...ExecutionFields
      input
      project { id name }
      statusLog { status percentComplete message timestamp }
    }
  }
`);

export const ExecutionUpdated = graphql(`
  subscription ExecutionUpdated($id: ID!) {
    executionUpdated(id: $id) {
      ...ExecutionFields
      statusLog { status percentComplete message timestamp }
    }
  }
`);

export const ExecutionCreate = graphql(`
  mutation ExecutionCreate($input: ExecutionCreateInput!) {
    executionCreate(input: $input) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`);

export const ExecutionRerun = graphql(`
  mutation ExecutionRerun($id: ID!) {
    executionRerun(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`);

export const ExecutionTerminate = graphql(`
  mutation ExecutionTerminate($id: ID!) {
    executionTerminate(input: { id: $id }) {
      execution { ...ExecutionFields }
      errors { message field code }
    }
  }
`);

export const ItemStatusSet = graphql(`
  mutation ItemStatusSet($input: ItemStatusSetInput!) {
    itemStatusSet(input: $input) {
      itemIds
      errors { field code message }
    }
  }
`);

// An execution's log: the lines kept so far, then new ones as they commit, in `seq` order, each once; completes
// when the execution has ended and its last lines were sent (Logs.tsx)
export const ExecutionLogs = graphql(`
  subscription ExecutionLogs($id: ID!) {
    executionLogs(id: $id) { id seq time stream level text attempt }
  }
`);

// Dataset jobs (Jobs.tsx): a project's commands, the project's job feed and one command live, abort
export const JobFields = graphql(`
  fragment JobFields on Command {
    id type status progress message error result url version createdAt updatedAt
  }
`);

export const ProjectJobs = graphql(`
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
`);

export const CommandUpdated = graphql(`
  subscription CommandUpdated($id: ID!) {
    commandUpdated(id: $id) { ...JobFields }
  }
`);

// every change of a project's jobs, started anywhere (this tab, another, the CLI), per job in version order
export const CommandsUpdated = graphql(`
  subscription CommandsUpdated($projectId: ID!) {
    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }
  }
`);

export const CommandAbort = graphql(`
  mutation CommandAbort($id: ID!) {
    commandAbort(input: { id: $id }) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`);

export const DatasetExport = graphql(`
  mutation DatasetExport($input: DatasetExportInput!) {
    datasetExport(input: $input) {
      command { ...JobFields }
      errors { message field code }
    }
  }
`);
