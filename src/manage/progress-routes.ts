// Posting a dated progress update, with up to five photos or PDFs as evidence. The lead unit
// (or the office) may also change the status; a co-unit posts its part, tagged with its own
// unit, and never the status. Marking a pledge completed needs evidence or a written reason.
import type { FastifyInstance } from 'fastify';
import { parseForm, formValues } from '../validation.ts';
import { HttpError } from '../plugins/errors.ts';
import { todayIn } from '../pledges/status.ts';
import { progressForm, checkProgress } from '../progress/schemas.ts';
import { readEvidenceForm } from '../evidence/upload.ts';
import { WORKSPACE, leads, coLeads } from './access.ts';
import { pledgeIdParam, type Pages } from './pages.ts';

export default function progressRoutes(app: FastifyInstance, pages: Pages) {
  const { pledgeRepo, progressRepo } = pages;

  // csrf 'none': the form may be multipart, whose token readEvidenceForm checks itself (for
  // urlencoded posts too) before anything is read or written.
  app.post('/manage/pledges/:id/progress', { config: { ...WORKSPACE, csrf: 'none' } }, async (request, reply) => {
    const user = request.user!;
    const view = await pledgeRepo.getForManage(pledgeIdParam(request));
    if (!view) throw new HttpError(404);
    const { pledge } = view;
    const canLead = leads(user, pledge);
    if (!canLead && !coLeads(user, pledge)) throw new HttpError(403);

    const read = await readEvidenceForm(request, { fileSizeBytes: app.config.uploadLimitMb * 1024 * 1024 });
    if (!read.ok) return reply.code(403).page('error', { status: 403, title: request.t('error.403.title'), message: request.t('error.csrf') });
    const body = read.fields;
    if (!canLead && body.status !== undefined && body.status !== '') throw new HttpError(403);
    if (pledge.status === 'draft') throw new HttpError(409, request.t('manage.error.draft_no_progress'));

    const parsed = parseForm(progressForm, body);
    const today = todayIn(view.campaign.timeZone);
    const errors = parsed.ok ? checkProgress(parsed.data, { today, currentStatus: pledge.status, evidenceCount: read.files.length }) : parsed.errors;
    Object.assign(errors, read.errors);
    if (!parsed.ok || Object.keys(errors).length) {
      return pages.pledgePage(request, reply, view, { status: 400, values: formValues(body), errors });
    }
    const result = await progressRepo.post(request.actor(), {
      pledgeId: pledge.id,
      unitId: user.role === 'admin' ? pledge.leadUnitId : user.unitId!,
      ...parsed.data,
      evidence: read.files,
    });
    if (!result.ok) {
      if (result.reason === 'completion_unsupported') {
        return pages.pledgePage(request, reply, view, { status: 400, values: formValues(body), errors: { reason: { key: 'evidence.error.completion_needs_support' } } });
      }
      throw new HttpError(result.reason === 'draft' ? 409 : 404);
    }
    return reply.redirect(`/manage/pledges/${pledge.id}?done=posted#timeline`, 303);
  });
}
