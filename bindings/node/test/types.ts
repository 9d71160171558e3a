// Type-checked, never run (`npm run typecheck`: tsc --noEmit --strict): every Desk method
// called as a TypeScript user would, with the declared types of its arguments and result.
import { Calendar, Desk, FoliodeskError, SYSTEM, type Config, type ImportProgress, type ImportReport, type ImportTicket, type Ticket } from '../foliodesk'

export async function everyMethod(url: string): Promise<number> {
  const config: Config = { sla: { holiday_sets: { es_national: ['01-01'] } } }
  const d = await Desk.open(url, config, { now: new Date('2026-03-02T09:00:00Z') })
  d.setNow(new Date())
  const c: Config = await d.config()
  const now: Date = await d.now()
  await d.putUser(SYSTEM, { id: 'ana', name: 'Ana', role: 'requester', email: 'ana@example.com' })
  await d.putOrganisation(SYSTEM, { id: 'acme', name: 'ACME', tier: 'gold' })
  await d.putTeam(SYSTEM, { id: 'sd', name: 'Service desk', level: 'n1', supervisor: 'sue', assignment: 'least_loaded' })
  await d.putUser(SYSTEM, { id: 'bob', name: 'Bob', role: 'agent', skills: ['Red/VPN'], away: [{ from: new Date(), until: new Date() }] })
  const strategy: 'manual' | 'round_robin' | 'least_loaded' | 'skill' | undefined = (await d.team('sd')).assignment
  const guess = (await d.suggestClassification('bob', 'Impresora', { description: 'atascada' })).category[0]
  const taught: number = (await d.trainClassifier('sue')) + (guess?.confidence ?? 0)
  const names: string[] = [(await d.user('ana')).name, (await d.organisation('acme')).name, (await d.team('sd')).name]
  names.push(strategy ?? '', String(taught), guess?.label ?? '', ...(await d.users()).map((u) => u.role), ...(await d.organisations()).map((o) => o.id), ...(await d.teams()).map((t) => t.level))
  let t: Ticket = await d.openTicket('ana', { kind: 'incident', channel: 'email', requester: 'ana', title: 'VPN down', usersAffected: 3 })
  t = await d.execute('bob', t.id, { command: 'comment', body: 'On it', visibility: 'public' })
  t = await d.ticket('ana', t.id)
  t = await d.ticketByFolio('ana', t.folio)
  const page = await d.query('sue', { status: ['open', 'pending'], limit: 10, slaDueBy: now })
  const next: string | null | undefined = page.next
  const history = await d.history('ana', t.id)
  const kinds: string[] = history.map((e) => e.event.type)
  const ok: boolean = (await d.verify(t.id)).checked > 0
  const fired: number = (await d.tick()).slaAlerts.length + (await d.tickAt(now)).autoConfirmed.length + (await d.tick()).rulesFired.length
  const view = await d.sla('ana', t.id)
  const due: Date | null | undefined = view?.targets[0]?.due
  await d.slaAt('ana', t.id, now)
  const crossings = await d.simulateSla('sue', t.id, now, { candidate: c.sla ?? null })
  const review = await d.reconfigure(SYSTEM, c, { dryRun: true })
  const anchor: string = (await d.checkpoint()).hash
  const problems = (await d.verifyDesk()).findings
  const outbox = await d.outbox({ limit: 10 })
  await d.ackOutbox(outbox.map((m) => m.id))
  const batch = await d.claimMessages({ tickets: 5 })
  const subjects: string[] = batch.messages.map((m) => m.subject)
  const settled: number = (await d.settleMessages([{ rows: [1], error: 'x', permanent: true }])).dead
  const viaSmtp = await d.deliverSmtp({ host: '127.0.0.1', port: 25, security: 'none' }, { tickets: 1 })
  const viaCallback: number = (await d.deliver(async (m) => m.to, { tickets: 1 })).sent
  const letters = await d.deadLetters({ limit: 10 })
  const requeued: number = await d.requeueDead(letters.map((l) => l.id))
  const viaHook = await d.deliverWebhook({ url: 'http://127.0.0.1:9/hook', secret: 's' })
  const rated = await d.rateWithToken('v1.x.1.00', 5, { comment: 'ok' })
  t = await d.comment('bob', t.id, 'RADIUS?', { visibility: 'internal' })
  t = await d.assign('bob', t.id, { team: 'sd', assignee: 'bob' })
  t = await d.reclassify('bob', t.id, { kind: 'incident', category: 'network' })
  t = await d.changePriority('bob', t.id, { impact: 4, reason: 'whole floor' })
  const viaMail: string = (await d.ingestEmail(new Uint8Array([70, 114]))).outcome
  const viaChat = await d.ingest({ channel: 'chat', from: 'ana@example.com', subject: 's', text: 't', messageId: 'c1' })
  const viaEvent = await d.ingest({ channel: 'event', from: 'zabbix', subject: 's', messageId: 'e1', threadKey: 'web-01/cpu', recovery: false })
  t = await d.attach('ana', t.id, 'captura.png', 'image/png', new Uint8Array([1, 2]), { visibility: 'public' })
  const file: Uint8Array = await d.attachment('bob', t.id, t.attachments![0].sha256)
  const calls: Array<{ id: string }> = await d.contacts('sue', new Date(), new Date(), { limit: 10 })
  await d.recordContact('bob', { id: 'c1', channel: 'phone', from: '+34', startedAt: new Date(), abandoned: true })
  const canned: string = (await d.responses('bob', t.id)).map((r) => r.body).join()
  const macroIds: string[] = (await d.macros('bob')).map((m) => m.id)
  t = await d.applyMacro('bob', t.id, 'ask-for-logs')
  const load: number = (await d.workload('sue', { team: 'sd' }))[0].agents[0].weighted
  const week = { from: '2026-03-02', to: '2026-03-09', timeZone: 'Europe/Madrid', every: 'day' as const }
  const volume: number = (await d.report('sue', week, { team: 'sd' })).current.volume
  const kpis: string[] = (await d.reportTable('sue', week)).rows.map((r) => r.kpi)
  const csvText: string = await d.reportCsv('sue', week, { options: { semicolon: true, bom: false } })
  const chart: string = await d.reportChart('sue', week, 'sla_by_priority')
  const atRisk: number = (await d.dashboard('sue', { riskMinutes: 30, timeZone: 'Europe/Madrid' })).atRisk
  const evidence: string = await d.securityEvidence('sue', t.id)
  const evidencePdf: Uint8Array = await d.securityEvidencePdf('sue', t.id)
  const register: string = await d.securityRegister('sue', week)
  const registerPdf: Uint8Array = await d.securityRegisterPdf('sue', week)
  const rebuilt: number = await d.rebuildReportFacts(SYSTEM)
  const packed: number = (await d.packReportFacts(8)) + (await d.tick()).packedFacts
  let article = await d.writeArticle('bob', { title: 'VPN', body: 'Restart the client', visibility: 'public', translationOf: null })
  article = await d.changeArticle('sue', article.id, { action: 'publish', note: null })
  article = await d.article('ana', article.id)
  const articleIds: string[] = (await d.articles('sue', { status: 'published' })).map((a) => a.id)
  const draftOf: string = (await d.archiveToKnowledge('bob', t.id)).versions[0].action
  const faq: number = (await d.searchArticles('ana', { text: 'vpn', limit: 5 }))[0].score
  const folios: string[] = (await d.searchTickets('bob', { text: 'vpn', status: ['resolved'] })).map((h) => h.folio)
  const like: string | null | undefined = (await d.similarTickets('bob', t.id))[0]?.solution
  const recurring: number = (await d.knowledgeSuggestions('sue', { minTickets: 2 })).length
  const prb = await d.openTicket('bob', { kind: 'problem', channel: 'portal', requester: 'bob', title: 'VPN' })
  const state: string | undefined = (await d.updateProblem('bob', prb.id, { rootCause: 'x', workaround: 'y', state: 'known_error' })).problem?.state
  const linkedTo: string | null | undefined = (await d.linkProblem('bob', t.id, prb.id)).problemId
  const workaround: string | undefined = (await d.knownErrors('bob', t.id))[0]?.workaround
  const linkedIds: string[] = (await d.problemIncidents('bob', prb.id)).map((i) => i.id)
  await d.unlinkProblem('bob', t.id)
  const skipped: string[] = (await d.resolveProblem('bob', prb.id, 'z')).notProposed.map((n) => n.reason)
  const repeats: number = (await d.problemSuggestions('sue')).length
  names.push(state ?? '', linkedTo ?? '', workaround ?? '', ...linkedIds, ...skipped, String(repeats))
  names.push(String(recurring), ...articleIds, draftOf, ...folios, like ?? '', String(faq + load))
  const polled: number = (await d.pollImap({ host: '127.0.0.1', port: 143, security: 'none', username: 'u', password: 'p', processedFolder: 'Done' })).fetched
  const old: ImportTicket = {
    source: 'glpi', reference: '7', openedAt: now, openedBy: 'ana',
    ticket: { kind: 'incident', channel: 'email', requester: 'ana', title: 'Old' },
    history: [{ at: now, actor: 'bob', command: { command: 'comment', body: 'seen', visibility: 'internal' } }],
  }
  const imported: number = (await d.importTickets(SYSTEM, [old])).imported
  const steps: ImportProgress[] = []
  const all: ImportReport = await d.importAll(SYSTEM, [old], { batchSize: 10, onProgress: (p) => steps.push(p) })
  const firstFolio: string | null | undefined = all.tickets[0].folio
  t = await d.edit('bob', t.id, { title: 'VPN down for everyone', tags: ['major-incident'], usersAffected: 40 })
  t = await d.setPending('bob', t.id, 'waiting for logs')
  t = await d.setWaiting('bob', t.id, 'third_party', 'vendor')
  t = await d.resume('bob', t.id)
  t = await d.escalate('bob', t.id, 'functional', 'needs networks', { team: 'net' })
  t = await d.proposeSolution('eva', t.id, 'Certificate renewed')
  t = await d.rejectSolution('ana', t.id, 'still down')
  t = await d.confirmSolution('ana', t.id)
  t = await d.rate('ana', t.id, 5, { comment: 'Quick' })
  t = await d.close('sue', t.id, { note: 'Root cause documented' })
  t = await d.reopen('ana', t.id, 'again')
  t = await d.addWatcher('bob', t.id, 'sue')
  t = await d.updateSecurity('bob', t.id, { severity: 'high', discoveredAt: now })
  t = await d.cancel('bob', t.id, 'duplicate', 'same as INC-1')
  await d.close()
  const cal = new Calendar({ timezone: 'Europe/Madrid', hours: { mon: [['09:00', '14:00']] } })
  const open: Date = cal.addBusinessTime(now, 3600e3)
  try {
    await d.ticket('ana', 'nope')
  } catch (e) {
    if (e instanceof FoliodeskError) names.push(e.code, e.field ?? '')
  }
  return names.length + kinds.length + fired + crossings.length + review.changes.length + problems.length +
    Number(ok) + anchor.length + imported + steps.length + (firstFolio ?? '').length + (next ?? '').length + (due?.getTime() ?? 0) + open.getTime() + t.reopenCount
}
