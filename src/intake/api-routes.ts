// The intake API: the hotline system posts reports and asks after them with a bearer token
// the office issued. JSON in, JSON out; errors as {error:{code,message}}; no cookies, no CSRF.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DISTRICT_KINDS } from '../../db/schema.ts';
import { sendError } from '../plugins/errors.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createDemandRepository, type NewDemand } from '../demands/repository.ts';
import { normalizeTrackingNo } from '../demands/redact.ts';
import { parseReportedAt } from '../demands/time.ts';
import { todayIn } from '../pledges/status.ts';
import { cleanLine, cleanText } from './rows.ts';
import { createTokenRepository } from './token-repository.ts';
import { createdResponse, requestParams, serviceRequestBody, statusResponse, type ServiceRequestInput } from './api-schemas.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

interface Detail {
  index: number;
  field: string;
  message: string;
}

export default async function intakeApiRoutes(app: FastifyInstance) {
  const tokens = createTokenRepository(app.db);
  const repo = createDemandRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);
  const publicUrl = app.config.publicUrl;

  /** The partner system's token, or a 401 answer. */
  async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S{10,200})$/i.exec(header) : null;
    const token = m ? await tokens.authenticate(m[1]) : undefined;
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="intake"');
      await sendError(request, reply, 401, request.t('intake.api.unauthorized'));
      return undefined;
    }
    return token;
  }

  function invalid(reply: FastifyReply, message: string, details: Detail[]) {
    return reply.code(400).type(JSON_TYPE).send({ error: { code: '400', message, details: details.slice(0, 100) } });
  }

  app.post('/api/v1/requests', { config: { csrf: 'none' }, bodyLimit: 5 * 1024 * 1024 }, async (request, reply) => {
    const token = await authenticate(request, reply);
    if (!token) return reply;
    const t = request.t;
    const parsed = serviceRequestBody.safeParse(request.body);
    const asArray = Array.isArray(request.body);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => {
        const path = asArray ? i.path : [0, ...i.path];
        return { index: typeof path[0] === 'number' ? path[0] : 0, field: String(path[1] ?? ''), message: i.message };
      });
      return invalid(reply, t('intake.api.invalid'), details);
    }
    const items: ServiceRequestInput[] = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const [categories, districts, campaign] = await Promise.all([categoryRepo.list(), unitRepo.districts(), campaignRepo.current(todayIn(app.config.timeZone))]);
    const details: Detail[] = [];
    const inputs: NewDemand[] = [];
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const category = categories.find((c) => c.slug === item.service_code.trim());
      if (!category) details.push({ index, field: 'service_code', message: t('intake.api.unknown_service_code', { value: item.service_code.slice(0, 80) }) });
      let districtUnitId: number | null = null;
      if (item.district?.trim()) {
        const d = districts.find((x) => (x.slug === item.district!.trim() || x.name === item.district!.trim()) && DISTRICT_KINDS.includes(x.kind));
        if (!d) details.push({ index, field: 'district', message: t('intake.api.unknown_district', { value: item.district.slice(0, 100) }) });
        else districtUnitId = d.id;
      }
      const reportedAt = item.requested_datetime ? parseReportedAt(item.requested_datetime, app.config.timeZone) : new Date().toISOString();
      if (!reportedAt) details.push({ index, field: 'requested_datetime', message: t('intake.api.bad_datetime') });
      const text = cleanText(item.description);
      if (Array.from(text).length < 5) details.push({ index, field: 'description', message: t('intake.api.description_short') });
      const externalRef = item.external_id ? cleanLine(item.external_id) : null;
      if (externalRef) {
        const earlier = seen.get(externalRef);
        if (earlier !== undefined) details.push({ index, field: 'external_id', message: t('intake.api.repeated_external_id', { index: earlier }) });
        seen.set(externalRef, index);
      }
      inputs.push({
        channel: 'hotline_12345',
        source: cleanLine(token.name),
        externalRef: externalRef || null,
        campaignId: campaign?.id ?? null,
        categoryId: category?.id ?? null,
        districtUnitId,
        text,
        address: cleanLine(item.address_string ?? ''),
        reportedAt: reportedAt ?? '',
        reporterName: cleanLine([item.last_name, item.first_name].filter(Boolean).join('')),
        reporterPhone: cleanLine(item.phone ?? ''),
        reporterContact: cleanLine(item.email ?? ''),
      });
    });
    if (details.length) return invalid(reply, t('intake.api.invalid'), details);
    const results = await repo.createMany({ userId: null, username: `api:${token.name}`.slice(0, 100), ip: request.ip }, inputs);
    const body = createdResponse.parse(
      results.map((r, i) => ({ service_request_id: r.trackingNo, external_id: inputs[i].externalRef, created: r.created, url: `${publicUrl}/reports/${r.trackingNo}` })),
    );
    return reply.code(201).type(JSON_TYPE).header('cache-control', 'no-store').send(body);
  });

  app.get('/api/v1/requests/:id', { config: { csrf: 'none' } }, async (request, reply) => {
    const token = await authenticate(request, reply);
    if (!token) return reply;
    const params = requestParams.safeParse(request.params);
    const no = params.success ? normalizeTrackingNo(params.data.id) : undefined;
    const found = no ? await repo.tracking(no) : undefined;
    if (!found) return sendError(request, reply, 404, request.t('intake.api.not_found'));
    const self = found.self;
    const effective = found.canonical ?? self;
    const closed = self.status === 'duplicate' || ['resolved', 'declined'].includes(effective.status);
    const body = statusResponse.parse([
      {
        service_request_id: found.trackingNo,
        status: closed ? 'closed' : 'open',
        detailed_status: self.status,
        status_notes: effective.declineReason,
        service_code: self.category?.slug ?? null,
        service_name: self.category ? (request.locale === 'en' ? self.category.nameEn || self.category.nameZh : self.category.nameZh) : null,
        description: self.text,
        address: self.location,
        agency_responsible: effective.unit?.name ?? null,
        pledge_id: effective.pledge?.id ?? null,
        pledge_url: effective.pledge ? `${publicUrl}/pledges/${effective.pledge.id}` : null,
        merged_into_open: found.canonical ? !['resolved', 'declined'].includes(found.canonical.status) : false,
        requested_datetime: self.reportedAt,
        url: `${publicUrl}/reports/${found.trackingNo}`,
      },
    ]);
    return reply.type(JSON_TYPE).header('cache-control', 'no-store').send(body);
  });
}
