import "server-only";
import { z } from "zod";
import { ENDPOINTS } from "./endpoints";
import { MUTATIONS } from "./mutations";
import { DEFAULT_LIMIT, MAX_LIMIT, READS, type ReadResource } from "./reads";
import { filtersOf } from "./reads/engine";

const errorSchema = {
  type: "object",
  required: ["error", "issues"],
  properties: {
    error: { type: "string", description: "What went wrong, in a sentence." },
    issues: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "message"],
        properties: {
          path: { type: "array", items: { anyOf: [{ type: "string" }, { type: "integer" }] }, description: "Field path, e.g. [\"accounts\", 3, \"parentExternalId\"]." },
          message: { type: "string" },
        },
      },
    },
    references: {
      type: "object",
      additionalProperties: { type: "integer" },
      description: "On a refused DELETE (409): how many records of each kind still reference this one, e.g. {\"campaign_sends\": 3}.",
    },
  },
};

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

const rateHeaders = {
  "RateLimit-Limit": { description: "Requests a minute this token may make.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current minute.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the current minute's window ends.", schema: { type: "integer" } },
};
const rateLimited = {
  description: "Over the token's rate limit (600 requests a minute unless an admin set another); wait Retry-After seconds.",
  headers: { ...rateHeaders, "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } },
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

/** PATCH and DELETE of one record (lib/api/mutations.ts). */
function addMutations(paths: Record<string, unknown>, schemas: Record<string, unknown>) {
  for (const [name, mutation] of Object.entries(MUTATIONS)) {
    const schemaName = `${operationName(name)}Request`;
    if (mutation.body) schemas[schemaName] = z.toJSONSchema(mutation.body, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
    const item = (paths[mutation.path] ?? {}) as Record<string, unknown>;
    item[mutation.method.toLowerCase()] = {
      operationId: name,
      summary: mutation.summary,
      description: `${mutation.description}\n\nNeeds a token with the \`${mutation.scope}\` scope. One transaction: a refusal writes nothing.`,
      security: [{ bearerAuth: [mutation.scope] }],
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          schema: (mutation.idParts ?? 1) > 1 ? { type: "string", description: `${mutation.idParts} ids joined by “:”, as the record's id reads.` } : { type: "string", format: "uuid" },
        },
      ],
      ...(mutation.body ? { requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaName}` } } } } } : {}),
      responses: {
        "200": { description: "Done.", headers: rateHeaders, content: { "application/json": { schema: { type: "object", required: ["data"], properties: { data: mutation.response ?? { type: "object" } } } } } },
        "400": errorResponse("Not JSON."),
        "401": errorResponse("Missing, unknown or revoked token."),
        "403": errorResponse(`The token lacks the ${mutation.scope} scope, or the record also concerns accounts outside the token's reach (a campaign or contact shared with them).`),
        "404": errorResponse("No such record, or outside what the token may change."),
        "409": errorResponse(mutation.conflict ?? "A conflicting concurrent write; retry."),
        "422": errorResponse("Invalid fields (listed with their paths), or a rule of the product refused the change."),
        "429": rateLimited,
        "503": errorResponse("A transient conflict in the database; retry."),
      },
    };
    paths[mutation.path] = item;
  }
}

function operationName(name: string): string {
  return `${name[0].toUpperCase()}${name.slice(1)}`;
}

/**
 * The GET operations of lib/api/reads: each record's schema, the list's filters as query
 * parameters, and `{ data, next_cursor }` / `{ data }` answers.
 */
function addReads(paths: Record<string, unknown>, schemas: Record<string, unknown>) {
  // Filters depend on the token only in their SQL, not in their names or types.
  const anyScope = { tokenId: "", scopes: [], viewer: { userId: "", email: "", name: "", role: "admin", teamIds: [], seesAll: true, seesOpportunities: true, scopeRoots: [], attributeScopes: [] } } as const;
  for (const [name, resource] of Object.entries(READS) as [string, ReadResource][]) {
    schemas[resource.name] = {
      type: "object",
      description: `A ${resource.name} record. With fields=…, only the named properties are present.`,
      properties: Object.fromEntries(Object.entries(resource.fields).map(([field, spec]) => [field, spec.schema])),
    };
    const record = { $ref: `#/components/schemas/${resource.name}` };
    const common = {
      "400": errorResponse("An unknown filter or field (the message names the allowed ones), a bad value or limit, or a cursor that was changed or made for another list."),
      "401": errorResponse("Missing, unknown or revoked token."),
      "403": errorResponse(`The token lacks the ${resource.scope} scope.`),
      "429": rateLimited,
    };
    const fieldsParameter = {
      name: "fields",
      in: "query",
      required: false,
      description: `Comma-separated fields to return (default: all): ${Object.keys(resource.fields).join(", ")}.`,
      schema: { type: "string" },
    };
    const filters = filtersOf(resource, anyScope as never);
    const existing = (paths[resource.path] ?? {}) as Record<string, unknown>;
    paths[resource.path] = {
      ...existing,
      get: {
        operationId: `list${operationName(name)}`,
        summary: resource.summary,
        description: `${resource.description}\n\nNeeds a token with the \`${resource.scope}\` scope. Pages by an opaque next_cursor (null on the last page).${
          resource.prefixFilters ? `\n\n${Object.values(resource.prefixFilters).map((p) => p.description).join("\n")}` : ""
        }`,
        security: [{ bearerAuth: [resource.scope] }],
        parameters: [
          { name: "limit", in: "query", required: false, description: `Records per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`, schema: { type: "integer", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
          { name: "cursor", in: "query", required: false, description: "The next_cursor of the previous page, with the same filters.", schema: { type: "string" } },
          fieldsParameter,
          ...Object.entries(filters).map(([filter, spec]) => ({ name: filter, in: "query", required: false, description: spec.description, schema: spec.openapi })),
        ],
        responses: {
          "200": {
            description: "One page of the list.",
            headers: rateHeaders,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["data", "next_cursor"],
                  properties: { data: { type: "array", items: record }, next_cursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last page." } },
                },
              },
            },
          },
          ...common,
        },
      },
    };
    if (resource.one) {
      paths[`${resource.path}/{id}`] = {
        get: {
          operationId: `get${operationName(name)}`,
          summary: `Read one ${resource.name} record`,
          description: `Needs the \`${resource.scope}\` scope. A record outside what the token may read answers 404, exactly like a missing one.`,
          security: [{ bearerAuth: [resource.scope] }],
          parameters: [{ name: "id", in: "path", required: true, schema: { type: resource.key[0].type === "bigint" ? "integer" : "string" } }, fieldsParameter],
          responses: {
            "200": { description: "The record.", headers: rateHeaders, content: { "application/json": { schema: { type: "object", required: ["data"], properties: { data: record } } } } },
            "404": errorResponse("No such record, or outside what the token may read."),
            ...common,
          },
        },
      };
    }
  }
}

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas that validate the
 * requests (z.toJSONSchema), so it lists exactly what the API accepts.
 */
export function openApiDocument(serverUrl?: string) {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { Error: errorSchema };
  for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
    const schemaName = `${name[0].toUpperCase()}${name.slice(1)}Request`;
    schemas[schemaName] = z.toJSONSchema(endpoint.body, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
    paths[endpoint.path] = {
      post: {
        operationId: `post${name[0].toUpperCase()}${name.slice(1)}`,
        summary: endpoint.summary,
        description: `${endpoint.description}\n\nNeeds a token with the \`${endpoint.scope}\` scope. All or nothing: one transaction per request.`,
        security: [{ bearerAuth: [endpoint.scope] }],
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description: "Any unique string (1–200 visible ASCII characters). A replay with the same key and body returns the first answer and writes nothing; the same key with another body is refused (422). Keys are kept for 24 hours.",
            schema: { type: "string", maxLength: 200 },
          },
        ],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaName}` } } } },
        responses: {
          "200": { description: "Written (or, with a replayed Idempotency-Key, the stored answer: header Idempotent-Replayed: true).", headers: rateHeaders, content: { "application/json": { schema: { type: "object", properties: { data: { type: "object" } } } } } },
          "400": errorResponse("Not JSON, or a malformed Idempotency-Key."),
          "401": errorResponse("Missing, unknown or revoked token."),
          "403": errorResponse("The token lacks the scope, or may not write to that account."),
          "409": errorResponse("A conflicting concurrent write; retry."),
          "413": errorResponse("Body too large."),
          "422": errorResponse("Invalid fields (listed with their paths), an unknown reference, a broken hierarchy rule, or a reused Idempotency-Key."),
          "429": rateLimited,
          "503": errorResponse("A transient conflict in the database; retry."),
        },
      },
    };
  }
  addReads(paths, schemas);
  addMutations(paths, schemas);
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer 360 API",
      version: "1.0.0",
      description:
        "Feed account profiles from your product and CRM, and read them back. Tokens are created by admins under Admin › API tokens; each answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API token (c360_…) from Admin › API tokens." } },
      schemas,
    },
  };
}
