import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI document of /api/v1: public (it describes the API; it holds no data). */
export function GET(request: Request): Response {
  return Response.json(openApiDocument(new URL(request.url).origin), { headers: { "Cache-Control": "public, max-age=300" } });
}
