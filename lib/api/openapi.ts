import "server-only";
import { z } from "zod";
import { ENDPOINTS } from "./endpoints";

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
  },
};

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

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
          "200": { description: "Written (or, with a replayed Idempotency-Key, the stored answer: header Idempotent-Replayed: true).", content: { "application/json": { schema: { type: "object", properties: { data: { type: "object" } } } } } },
          "400": errorResponse("Not JSON, or a malformed Idempotency-Key."),
          "401": errorResponse("Missing, unknown or revoked token."),
          "403": errorResponse("The token lacks the scope, or may not write to that account."),
          "409": errorResponse("A conflicting concurrent write; retry."),
          "413": errorResponse("Body too large."),
          "422": errorResponse("Invalid fields (listed with their paths), an unknown reference, a broken hierarchy rule, or a reused Idempotency-Key."),
          "503": errorResponse("A transient conflict in the database; retry."),
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer 360 API",
      version: "1.0.0",
      description: "Feed account profiles from your product and CRM. Tokens are created by admins under Admin › API tokens.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "An API token (c360_…) from Admin › API tokens." } },
      schemas,
    },
  };
}
