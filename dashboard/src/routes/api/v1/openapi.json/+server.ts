// GET /api/v1/openapi.json: the read API's OpenAPI document, generated from the metric catalogue.
import { json, type RequestHandler } from '@sveltejs/kit';
import { buildOpenApiDocument } from '$warehouse/read-api/openapi.ts';

export const GET: RequestHandler = ({ url }) => json(buildOpenApiDocument(url.origin));
