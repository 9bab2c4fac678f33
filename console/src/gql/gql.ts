/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me { id email name }\n  }\n": typeof types.MeDocument,
    "\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n": typeof types.OrganizationsDocument,
    "\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n": typeof types.ProjectPageDocument,
    "\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n": typeof types.DatasetItemsDocument,
    "\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n": typeof types.ItemPageDocument,
    "\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n": typeof types.ExecutionFieldsFragmentDoc,
    "\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n": typeof types.ProjectExecutionsDocument,
    "\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n": typeof types.ExecutionsUpdatedDocument,
    "\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n": typeof types.ExecutionPageDocument,
    "\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n": typeof types.ExecutionUpdatedDocument,
    "\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n": typeof types.ExecutionCreateDocument,
    "\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n": typeof types.ExecutionRerunDocument,
    "\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n": typeof types.ExecutionTerminateDocument,
    "\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n": typeof types.ItemStatusSetDocument,
    "\n  subscription ExecutionLogs($id: ID!) {\n    executionLogs(id: $id) { id seq time stream level text attempt }\n  }\n": typeof types.ExecutionLogsDocument,
    "\n  fragment JobFields on Command {\n    id type status progress message error result url version createdAt updatedAt\n  }\n": typeof types.JobFieldsFragmentDoc,
    "\n  query ProjectJobs($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      commands(last: 100) {\n        totalCount\n        nodes { ...JobFields }\n      }\n    }\n  }\n": typeof types.ProjectJobsDocument,
    "\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) { ...JobFields }\n  }\n": typeof types.CommandUpdatedDocument,
    "\n  subscription CommandsUpdated($projectId: ID!) {\n    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }\n  }\n": typeof types.CommandsUpdatedDocument,
    "\n  mutation CommandAbort($id: ID!) {\n    commandAbort(input: { id: $id }) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n": typeof types.CommandAbortDocument,
    "\n  mutation DatasetExport($input: DatasetExportInput!) {\n    datasetExport(input: $input) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n": typeof types.DatasetExportDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me { id email name }\n  }\n": types.MeDocument,
    "\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n": types.OrganizationsDocument,
    "\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n": types.ProjectPageDocument,
    "\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n": types.DatasetItemsDocument,
    "\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n": types.ItemPageDocument,
    "\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n": types.ExecutionFieldsFragmentDoc,
    "\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n": types.ProjectExecutionsDocument,
    "\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n": types.ExecutionsUpdatedDocument,
    "\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n": types.ExecutionPageDocument,
    "\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n": types.ExecutionUpdatedDocument,
    "\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n": types.ExecutionCreateDocument,
    "\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n": types.ExecutionRerunDocument,
    "\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n": types.ExecutionTerminateDocument,
    "\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n": types.ItemStatusSetDocument,
    "\n  subscription ExecutionLogs($id: ID!) {\n    executionLogs(id: $id) { id seq time stream level text attempt }\n  }\n": types.ExecutionLogsDocument,
    "\n  fragment JobFields on Command {\n    id type status progress message error result url version createdAt updatedAt\n  }\n": types.JobFieldsFragmentDoc,
    "\n  query ProjectJobs($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      commands(last: 100) {\n        totalCount\n        nodes { ...JobFields }\n      }\n    }\n  }\n": types.ProjectJobsDocument,
    "\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) { ...JobFields }\n  }\n": types.CommandUpdatedDocument,
    "\n  subscription CommandsUpdated($projectId: ID!) {\n    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }\n  }\n": types.CommandsUpdatedDocument,
    "\n  mutation CommandAbort($id: ID!) {\n    commandAbort(input: { id: $id }) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n": types.CommandAbortDocument,
    "\n  mutation DatasetExport($input: DatasetExportInput!) {\n    datasetExport(input: $input) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n": types.DatasetExportDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { id email name }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Organizations {\n    organizations(first: 50) {\n      totalCount\n      nodes {\n        id\n        name\n        plan\n        projects(first: 50) {\n          totalCount\n          nodes { id name description datasets(first: 1) { totalCount } }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').OrganizationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectPage($id: ID!) {\n    project(id: $id) {\n      id\n      name\n      description\n      organization { id name }\n      datasets(first: 100) {\n        totalCount\n        nodes { id name description itemsCount annotatedCount readonly }\n      }\n      services(first: 100) { nodes { id name active } }\n    }\n  }\n"): typeof import('./graphql').ProjectPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetItems($id: ID!, $first: Int!, $after: String, $filter: ItemFilter) {\n    dataset(id: $id) {\n      id\n      name\n      itemsCount\n      annotatedCount\n      project { id name }\n      labels { tag color }\n      items(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        nodes { ...ItemCard }\n      }\n    }\n  }\n  fragment ItemCard on Item {\n    id\n    name\n    dir\n    type\n    mimetype\n    width\n    height\n    annotated\n    annotationsCount\n    thumbnailUrl\n  }\n"): typeof import('./graphql').DatasetItemsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ItemPage($id: ID!) {\n    item(id: $id) {\n      id\n      name\n      dir\n      filename\n      type\n      mimetype\n      size\n      width\n      height\n      description\n      metadata\n      annotated\n      createdAt\n      updatedAt\n      url\n      fps\n      duration\n      taskStatuses { status statusAt task { id name availableActions { action displayName color } } }\n      dataset { id name project { id name } labels { tag color displayName } }\n      annotations(first: 500) {\n        totalCount\n        nodes { id type label coordinates frame endFrame attributes }\n      }\n    }\n  }\n"): typeof import('./graphql').ItemPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExecutionFields on Execution {\n    id\n    version\n    functionName\n    status\n    progress\n    attempts\n    maxAttempts\n    toTerminate\n    createdAt\n    startedAt\n    finishedAt\n    duration\n    error\n    output\n    service { id name }\n    latestStatus { status percentComplete message timestamp }\n  }\n"): typeof import('./graphql').ExecutionFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectExecutions($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      services(first: 100) { nodes { id name active } }\n      executions(first: 200, orderBy: [{ field: CREATED_AT, direction: DESC }]) {\n        totalCount\n        nodes { ...ExecutionFields }\n      }\n    }\n  }\n"): typeof import('./graphql').ProjectExecutionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExecutionsUpdated($projectId: ID!) {\n    executionsUpdated(filter: { projectId: $projectId }) { ...ExecutionFields }\n  }\n"): typeof import('./graphql').ExecutionsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExecutionPage($id: ID!) {\n    execution(id: $id) {\n      ...ExecutionFields\n      input\n      project { id name }\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n"): typeof import('./graphql').ExecutionPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExecutionUpdated($id: ID!) {\n    executionUpdated(id: $id) {\n      ...ExecutionFields\n      statusLog { status percentComplete message timestamp }\n    }\n  }\n"): typeof import('./graphql').ExecutionUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExecutionCreate($input: ExecutionCreateInput!) {\n    executionCreate(input: $input) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n"): typeof import('./graphql').ExecutionCreateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExecutionRerun($id: ID!) {\n    executionRerun(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n"): typeof import('./graphql').ExecutionRerunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExecutionTerminate($id: ID!) {\n    executionTerminate(input: { id: $id }) {\n      execution { ...ExecutionFields }\n      errors { message field code }\n    }\n  }\n"): typeof import('./graphql').ExecutionTerminateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ItemStatusSet($input: ItemStatusSetInput!) {\n    itemStatusSet(input: $input) {\n      itemIds\n      errors { field code message }\n    }\n  }\n"): typeof import('./graphql').ItemStatusSetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExecutionLogs($id: ID!) {\n    executionLogs(id: $id) { id seq time stream level text attempt }\n  }\n"): typeof import('./graphql').ExecutionLogsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobFields on Command {\n    id type status progress message error result url version createdAt updatedAt\n  }\n"): typeof import('./graphql').JobFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectJobs($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      name\n      commands(last: 100) {\n        totalCount\n        nodes { ...JobFields }\n      }\n    }\n  }\n"): typeof import('./graphql').ProjectJobsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CommandUpdated($id: ID!) {\n    commandUpdated(id: $id) { ...JobFields }\n  }\n"): typeof import('./graphql').CommandUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CommandsUpdated($projectId: ID!) {\n    commandsUpdated(filter: { projectId: $projectId }) { ...JobFields }\n  }\n"): typeof import('./graphql').CommandsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CommandAbort($id: ID!) {\n    commandAbort(input: { id: $id }) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n"): typeof import('./graphql').CommandAbortDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DatasetExport($input: DatasetExportInput!) {\n    datasetExport(input: $input) {\n      command { ...JobFields }\n      errors { message field code }\n    }\n  }\n"): typeof import('./graphql').DatasetExportDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
