// The intake API's shapes, shaped after Open311 GeoReport v2 (service_code, description,
// address_string, requested_datetime; external_id and district are our extensions), declared
// in the shared operation registry so /api/openapi.json documents them with the read API.
// Response schemas hold public facts only: a reporter's name, phone or e-mail can be sent in,
// but no answer carries them back out.
import { z } from 'zod';
import { DEMAND_STATUSES } from '../../db/schema.ts';
import { defineOperation } from '../api/registry.ts';
import { errorBody } from '../api/schemas.ts';

export const MAX_REQUESTS_PER_CALL = 500;

export const serviceRequestInput = z
  .object({
    service_code: z.string().min(1).max(80).meta({ description: 'The category: its slug, as listed by GET /api/v1/categories' }),
    description: z.string().min(5).max(4000).meta({ description: 'What is wrong, as the caller said it. Shown publicly only after automatic redaction.' }),
    address_string: z.string().max(200).optional().meta({ description: 'Where. Shown publicly only to street level.' }),
    requested_datetime: z.string().max(40).optional().meta({ description: 'When the call came in: ISO 8601 with a zone, or a wall-clock time in the campaign’s zone. Default: now.' }),
    external_id: z.string().min(1).max(64).optional().meta({ description: 'The hotline ticket number. A ticket already received is not stored again: the answer names the existing request.' }),
    district: z.string().max(100).optional().meta({ description: 'The district: its slug or name' }),
    jurisdiction_id: z.string().max(100).optional().meta({ description: 'Accepted for Open311 clients and ignored' }),
    first_name: z.string().max(50).optional().meta({ description: 'Private: never shown publicly or returned' }),
    last_name: z.string().max(50).optional().meta({ description: 'Private: never shown publicly or returned' }),
    phone: z.string().max(40).optional().meta({ description: 'Private: never shown publicly or returned' }),
    email: z.string().max(100).optional().meta({ description: 'Private: never shown publicly or returned' }),
  })
  .strict();
export type ServiceRequestInput = z.infer<typeof serviceRequestInput>;

export const serviceRequestBody = z
  .union([serviceRequestInput, z.array(serviceRequestInput).min(1).max(MAX_REQUESTS_PER_CALL)])
  .meta({ description: `One request, or an array of up to ${MAX_REQUESTS_PER_CALL}` });

export const createdRequest = z.object({
  service_request_id: z.string().meta({ description: 'Our id: the public tracking number' }),
  external_id: z.string().nullable(),
  created: z.boolean().meta({ description: 'false when this external_id had been received before' }),
  url: z.string().meta({ format: 'uri', description: 'The public tracking page' }),
});
export const createdResponse = z.array(createdRequest);

export const intakeErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .array(z.object({ index: z.number().int().meta({ description: 'Position in the posted array (0 for a single object)' }), field: z.string(), message: z.string() }))
      .optional(),
  }),
});

export const requestParams = z.object({ id: z.string().max(40).meta({ description: 'The service_request_id (tracking number)' }) }).strict();

export const serviceRequestStatus = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']).meta({ description: 'Open311 status: closed once resolved, declined or merged into another request' }),
  detailed_status: z.enum(DEMAND_STATUSES),
  status_notes: z.string().meta({ description: 'The public reason when declined' }),
  service_code: z.string().nullable(),
  service_name: z.string().nullable(),
  description: z.string().nullable().meta({ description: 'The redacted text; null when the office hid it' }),
  address: z.string().meta({ description: 'Street level only' }),
  agency_responsible: z.string().nullable().meta({ description: 'The unit that took it on' }),
  pledge_id: z.number().int().nullable(),
  pledge_url: z.string().nullable(),
  merged_into_open: z.boolean().meta({ description: 'For a request merged into another: whether that one is still open' }),
  requested_datetime: z.string(),
  url: z.string(),
});
export const statusResponse = z.array(serviceRequestStatus);

const commonErrors = {
  401: { description: 'No token, or a token that is unknown or revoked', schema: errorBody },
  429: { description: 'Too many requests from this address', schema: errorBody },
};

export const createOperation = defineOperation({
  method: 'post',
  path: '/api/v1/requests',
  operationId: 'createServiceRequests',
  summary: 'Send in reports (Open311 GeoReport v2 style)',
  description:
    'For the 12345 hotline system and other partners. Post one request or an array; all are validated first and stored together, or none is. Answers with our id (the tracking number) for each, in order.',
  tags: ['intake'],
  body: serviceRequestBody,
  responses: {
    201: { description: 'Stored (or already received); one entry per posted request, in order', schema: createdResponse },
    400: { description: 'A request is invalid; details name each one by position. Nothing was stored.', schema: intakeErrorBody },
    ...commonErrors,
  },
  security: 'intakeToken',
  example: {
    body: { service_code: 'water', description: '小区自来水水压不足，高层住户白天无水', address_string: '历下区文化东路', requested_datetime: '2025-03-05T14:23:00+08:00', external_id: 'RX20250305001', district: 'lixia' },
  },
});

export const statusOperation = defineOperation({
  method: 'get',
  path: '/api/v1/requests/{id}',
  operationId: 'getServiceRequest',
  summary: 'The status of a request sent in',
  tags: ['intake'],
  params: requestParams,
  responses: {
    200: { description: 'The request as the public sees it (an array of one, as in Open311)', schema: statusResponse },
    404: { description: 'No request has this id', schema: errorBody },
    ...commonErrors,
  },
  security: 'intakeToken',
  example: { params: { id: 'ABCD-EFGH-JKMN-PQRS' } },
});
