/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AnnotationFilter = {
  createdAt?: DateTimeFilter | null | undefined;
  /** annotations whose item matches */
  item?: ItemFilter | null | undefined;
  label?: StringFilter | null | undefined;
  metadata?: Array<JsonPathFilter> | null | undefined;
  status?: StringFilter | null | undefined;
  /** wire type values, e.g. box, class */
  type?: Array<string> | null | undefined;
};

/** Annotation geometry; the values are the platform's wire names (box, class, segment…). */
export type AnnotationType =
  | 'BOX'
  | 'CLASSIFICATION'
  | 'COMPARISON'
  | 'CUBE'
  | 'CUBE_3D'
  | 'DESCRIPTION'
  | 'ELLIPSE'
  | 'NOTE'
  | 'POINT'
  | 'POLYGON'
  | 'POLYLINE'
  | 'POSE'
  | 'SEGMENTATION'
  | 'SUBTITLE'
  | 'TEXT';

/** Where a job is: CREATED (queued) → IN_PROGRESS → SUCCESS | FAILED | ABORTED */
export type CommandStatus =
  | 'ABORTED'
  | 'CREATED'
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'SUCCESS';

/** Export a dataset (or the items a filter selects) as a zip, as a job (type export) */
export type DatasetExportInput = {
  datasetId: string;
  /** Only the items that match (an empty selection is a valid empty export) */
  filter?: ItemFilter | null | undefined;
  format: ExportFormat;
  /** Put the items' files into the zip */
  includeFiles?: boolean;
  /** Only these splits ("default": items without a split) */
  splits?: Array<string> | null | undefined;
  /** Export this version of the dataset */
  versionId?: string | null | undefined;
};

/** Conditions on an instant; all given conditions must hold. */
export type DateTimeFilter = {
  eq?: string | null | undefined;
  gt?: string | null | undefined;
  gte?: string | null | undefined;
  lt?: string | null | undefined;
  lte?: string | null | undefined;
  ne?: string | null | undefined;
};

export type ErrorCode =
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'FORBIDDEN'
  | 'INVALID'
  | 'LIMIT_EXCEEDED'
  | 'NOT_FOUND'
  | 'READ_ONLY'
  | 'TIMEOUT';

export type ExecutionCreateInput = {
  /** Shortcut: the function's Annotation input */
  annotationId?: string | null | undefined;
  /** Shortcut: the function's Dataset input */
  datasetId?: string | null | undefined;
  functionName?: string | null | undefined;
  /** Keyed by the function's input names; an Item input takes the item id or {item_id} */
  input?: unknown;
  /** Shortcut: the function's Item input (the most specific of annotationId > itemId > datasetId wins; the others must agree with it) */
  itemId?: string | null | undefined;
  serviceId: string;
  /** With wait: seconds to wait, 1 to 300 (default 60) */
  timeoutSec?: number | null | undefined;
  /** Answer when the execution has ended (or after timeoutSec, with its current state and a TIMEOUT error) */
  wait?: boolean;
};

/** Where an execution is in its lifecycle; values are the platform's wire names. */
export type ExecutionStatus =
  | 'ABORTED'
  | 'CANCELED'
  | 'CREATED'
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'SUCCESS'
  | 'SYSTEM_FAILURE'
  | 'TERMINATED';

/** Dataset export and import formats: COCO (detection JSON), YOLO (Ultralytics layout), VOC (Pascal VOC XML), JSON (labelgraph's lossless format) */
export type ExportFormat =
  | 'COCO'
  | 'JSON'
  | 'VOC'
  | 'YOLO';

/** Conditions on items; all given conditions must hold. Combine with and/or/not. */
export type ItemFilter = {
  and?: Array<ItemFilter> | null | undefined;
  annotated?: boolean | null | undefined;
  /** items having at least one annotation that matches */
  annotations?: AnnotationFilter | null | undefined;
  createdAt?: DateTimeFilter | null | undefined;
  dir?: StringFilter | null | undefined;
  filename?: StringFilter | null | undefined;
  hidden?: boolean | null | undefined;
  metadata?: Array<JsonPathFilter> | null | undefined;
  mimetype?: StringFilter | null | undefined;
  name?: StringFilter | null | undefined;
  /** items having no annotation that matches (what DQL's join cannot say) */
  noAnnotations?: AnnotationFilter | null | undefined;
  not?: ItemFilter | null | undefined;
  or?: Array<ItemFilter> | null | undefined;
  /** train, validation, test or any name */
  split?: StringFilter | null | undefined;
  /** "file" or "dir" */
  type?: string | null | undefined;
  updatedAt?: DateTimeFilter | null | undefined;
};

export type ItemStatusSetInput = {
  itemId: string;
  /** One of the task's actions; null clears the status */
  status?: string | null | undefined;
  taskId: string;
};

/** A condition on a value inside metadata: `path` is relative to metadata ("user.split", "system.mimetype"). Comparisons are type-exact: a number never equals a string. */
export type JsonPathFilter = {
  /** an array at the path has an element equal to this value */
  contains?: unknown;
  /** an array at the path has elements equal to each of these values */
  containsAll?: Array<unknown> | null | undefined;
  eq?: unknown;
  exists?: boolean | null | undefined;
  /** a string matching this glob (`*`: anything) */
  glob?: string | null | undefined;
  gt?: unknown;
  gte?: unknown;
  in?: Array<unknown> | null | undefined;
  lt?: unknown;
  lte?: unknown;
  ne?: unknown;
  nin?: Array<unknown> | null | undefined;
  path: string;
};

/** The level of a line the function logged with Python's logging */
export type LogLevel =
  | 'CRITICAL'
  | 'DEBUG'
  | 'ERROR'
  | 'INFO'
  | 'WARNING';

/** Where a log line came from: what the function printed (STDOUT, STDERR) or logged */
export type LogStream =
  | 'LOG'
  | 'STDERR'
  | 'STDOUT';

/** Conditions on a string field; all given conditions must hold. */
export type StringFilter = {
  eq?: string | null | undefined;
  exists?: boolean | null | undefined;
  /** `*` matches within one path segment, `**` across segments: `/train/**\/*.jpg` */
  glob?: string | null | undefined;
  /** compared by code point */
  gt?: string | null | undefined;
  gte?: string | null | undefined;
  in?: Array<string> | null | undefined;
  lt?: string | null | undefined;
  lte?: string | null | undefined;
  ne?: string | null | undefined;
  nin?: Array<string> | null | undefined;
};

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, name: string | null } };

export type OrganizationsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationsQuery = { organizations: { totalCount: number, nodes: Array<{ id: string, name: string, plan: string, projects: { totalCount: number, nodes: Array<{ id: string, name: string, description: string | null, datasets: { totalCount: number } }> } }> } };

export type ProjectPageQueryVariables = Exact<{
  id: string;
}>;


export type ProjectPageQuery = { project: { id: string, name: string, description: string | null, organization: { id: string, name: string }, datasets: { totalCount: number, nodes: Array<{ id: string, name: string, description: string | null, itemsCount: number, annotatedCount: number, readonly: boolean }> }, services: { nodes: Array<{ id: string, name: string, active: boolean }> } } | null };

export type DatasetItemsQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
  filter?: ItemFilter | null | undefined;
}>;


export type DatasetItemsQuery = { dataset: { id: string, name: string, itemsCount: number, annotatedCount: number, project: { id: string, name: string }, labels: Array<{ tag: string, color: string }>, items: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, dir: string, type: string, mimetype: string | null, width: number | null, height: number | null, annotated: boolean, annotationsCount: number, thumbnailUrl: string | null }> } } | null };

export type ItemCardFragment = { id: string, name: string, dir: string, type: string, mimetype: string | null, width: number | null, height: number | null, annotated: boolean, annotationsCount: number, thumbnailUrl: string | null };

export type ItemPageQueryVariables = Exact<{
  id: string;
}>;


export type ItemPageQuery = { item: { id: string, name: string, dir: string, filename: string, type: string, mimetype: string | null, size: number | null, width: number | null, height: number | null, description: string | null, metadata: unknown, annotated: boolean, createdAt: string, updatedAt: string, url: string | null, fps: number | null, duration: number | null, taskStatuses: Array<{ status: string | null, statusAt: string | null, task: { id: string, name: string, availableActions: Array<{ action: string, displayName: string, color: string }> } | null }>, dataset: { id: string, name: string, project: { id: string, name: string }, labels: Array<{ tag: string, color: string, displayName: string }> }, annotations: { totalCount: number, nodes: Array<{ id: string, type: AnnotationType, label: string, coordinates: unknown, frame: number | null, endFrame: number | null, attributes: unknown }> } } | null };

export type ExecutionFieldsFragment = { id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } };

export type ProjectExecutionsQueryVariables = Exact<{
  projectId: string;
}>;


export type ProjectExecutionsQuery = { project: { id: string, name: string, services: { nodes: Array<{ id: string, name: string, active: boolean }> }, executions: { totalCount: number, nodes: Array<{ id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } }> } } | null };

export type ExecutionsUpdatedSubscriptionVariables = Exact<{
  projectId: string;
}>;


export type ExecutionsUpdatedSubscription = { executionsUpdated: { id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } } };

export type ExecutionPageQueryVariables = Exact<{
  id: string;
}>;


export type ExecutionPageQuery = { execution: { input: unknown, id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, project: { id: string, name: string }, statusLog: Array<{ status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string }>, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } } | null };

export type ExecutionUpdatedSubscriptionVariables = Exact<{
  id: string;
}>;


export type ExecutionUpdatedSubscription = { executionUpdated: { id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, statusLog: Array<{ status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string }>, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } } };

export type ExecutionCreateMutationVariables = Exact<{
  input: ExecutionCreateInput;
}>;


export type ExecutionCreateMutation = { executionCreate: { execution: { id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } } | null, errors: Array<{ message: string, field: Array<string> | null, code: ErrorCode }> } };

export type ExecutionRerunMutationVariables = Exact<{
  id: string;
}>;


export type ExecutionRerunMutation = { executionRerun: { execution: { id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } } | null, errors: Array<{ message: string, field: Array<string> | null, code: ErrorCode }> } };

export type ExecutionTerminateMutationVariables = Exact<{
  id: string;
}>;


export type ExecutionTerminateMutation = { executionTerminate: { execution: { id: string, version: number, functionName: string, status: ExecutionStatus, progress: number, attempts: number, maxAttempts: number, toTerminate: boolean, createdAt: string, startedAt: string | null, finishedAt: string | null, duration: number | null, error: unknown, output: unknown, service: { id: string, name: string }, latestStatus: { status: ExecutionStatus, percentComplete: number | null, message: string | null, timestamp: string } } | null, errors: Array<{ message: string, field: Array<string> | null, code: ErrorCode }> } };

export type ItemStatusSetMutationVariables = Exact<{
  input: ItemStatusSetInput;
}>;


export type ItemStatusSetMutation = { itemStatusSet: { itemIds: Array<string>, errors: Array<{ field: Array<string> | null, code: ErrorCode, message: string }> } };

export type ExecutionLogsSubscriptionVariables = Exact<{
  id: string;
}>;


export type ExecutionLogsSubscription = { executionLogs: { id: string, seq: number, time: string, stream: LogStream, level: LogLevel | null, text: string, attempt: number } };

export type JobFieldsFragment = { id: string, type: string, status: CommandStatus, progress: number, message: string | null, error: string | null, result: unknown, url: string | null, version: number, createdAt: string, updatedAt: string };

export type ProjectJobsQueryVariables = Exact<{
  projectId: string;
}>;


export type ProjectJobsQuery = { project: { id: string, name: string, commands: { totalCount: number, nodes: Array<{ id: string, type: string, status: CommandStatus, progress: number, message: string | null, error: string | null, result: unknown, url: string | null, version: number, createdAt: string, updatedAt: string }> } } | null };

export type CommandUpdatedSubscriptionVariables = Exact<{
  id: string;
}>;


export type CommandUpdatedSubscription = { commandUpdated: { id: string, type: string, status: CommandStatus, progress: number, message: string | null, error: string | null, result: unknown, url: string | null, version: number, createdAt: string, updatedAt: string } };

export type CommandsUpdatedSubscriptionVariables = Exact<{
  projectId: string;
}>;


export type CommandsUpdatedSubscription = { commandsUpdated: { id: string, type: string, status: CommandStatus, progress: number, message: string | null, error: string | null, result: unknown, url: string | null, version: number, createdAt: string, updatedAt: string } };

export type CommandAbortMutationVariables = Exact<{
  id: string;
}>;


export type CommandAbortMutation = { commandAbort: { command: { id: string, type: string, status: CommandStatus, progress: number, message: string | null, error: string | null, result: unknown, url: string | null, version: number, createdAt: string, updatedAt: string } | null, errors: Array<{ message: string, field: Array<string> | null, code: ErrorCode }> } };

export type DatasetExportMutationVariables = Exact<{
  input: DatasetExportInput;
}>;


export type DatasetExportMutation = { datasetExport: { command: { id: string, type: string, status: CommandStatus, progress: number, message: string | null, error: string | null, result: unknown, url: string | null, version: number, createdAt: string, updatedAt: string } | null, errors: Array<{ message: string, field: Array<string> | null, code: ErrorCode }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ItemCardFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"ItemCard"}) as unknown as TypedDocumentString<ItemCardFragment, unknown>;
export const ExecutionFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"ExecutionFields"}) as unknown as TypedDocumentString<ExecutionFieldsFragment, unknown>;
export const JobFieldsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    name
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const OrganizationsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<OrganizationsQuery, OrganizationsQueryVariables>;
export const ProjectPageDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ProjectPageQuery, ProjectPageQueryVariables>;
export const DatasetItemsDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<DatasetItemsQuery, DatasetItemsQueryVariables>;
export const ItemPageDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ItemPageQuery, ItemPageQueryVariables>;
export const ProjectExecutionsDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ProjectExecutionsQuery, ProjectExecutionsQueryVariables>;
export const ExecutionsUpdatedDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ExecutionsUpdatedSubscription, ExecutionsUpdatedSubscriptionVariables>;
export const ExecutionPageDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ExecutionPageQuery, ExecutionPageQueryVariables>;
export const ExecutionUpdatedDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ExecutionUpdatedSubscription, ExecutionUpdatedSubscriptionVariables>;
export const ExecutionCreateDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ExecutionCreateMutation, ExecutionCreateMutationVariables>;
export const ExecutionRerunDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ExecutionRerunMutation, ExecutionRerunMutationVariables>;
export const ExecutionTerminateDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ExecutionTerminateMutation, ExecutionTerminateMutationVariables>;
export const ItemStatusSetDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ItemStatusSetMutation, ItemStatusSetMutationVariables>;
export const ExecutionLogsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ExecutionLogsSubscription, ExecutionLogsSubscriptionVariables>;
export const ProjectJobsDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<ProjectJobsQuery, ProjectJobsQueryVariables>;
export const CommandUpdatedDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<CommandUpdatedSubscription, CommandUpdatedSubscriptionVariables>;
export const CommandsUpdatedDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<CommandsUpdatedSubscription, CommandsUpdatedSubscriptionVariables>;
export const CommandAbortDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<CommandAbortMutation, CommandAbortMutationVariables>;
export const DatasetExportDocument = new TypedDocumentString(`
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
}`) as unknown as TypedDocumentString<DatasetExportMutation, DatasetExportMutationVariables>;