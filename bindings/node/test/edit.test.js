'use strict'
// Ticket edits from Node: fields in an object, before and after in the history, the priority
// recomputed from users affected, staff-only fields hidden from requesters, typed refusals.
const test = require('node:test')
const assert = require('node:assert/strict')
const { desk, incident } = require('./fixture.js')

test('staff edit fields and the history says from what', async () => {
  const d = await desk()
  const t = await incident(d, 'Sin correo')
  const after = await d.edit('bob', t.id, {
    title: 'Sin correo en toda la planta',
    tags: ['major-incident'],
    possibleCauses: ['certificado caducado'],
    usersAffected: 250,
  })
  assert.equal(after.title, 'Sin correo en toda la planta')
  assert.deepEqual(after.tags, ['major-incident'])
  assert.ok(after.priority > t.priority, '250 users raise the priority')
  const staff = (await d.history('bob', t.id)).map((e) => e.event)
  assert.deepEqual(staff.slice(-2).map((e) => e.type), ['edited', 'priority_changed'])
  const edited = staff.at(-2).data
  assert.deepEqual([edited.title.before, edited.title.after], ['Sin correo', 'Sin correo en toda la planta'])
  assert.deepEqual(edited.possibleCauses.after, ['certificado caducado'])
  const seen = JSON.stringify(await d.history('ana', t.id))
  assert.ok(seen.includes('Sin correo en toda la planta'))
  assert.ok(!seen.includes('certificado'))
})

test('refusals are typed and name the field', async () => {
  const d = await desk()
  const t = await incident(d)
  await assert.rejects(d.edit('ana', t.id, { title: 'Mine' }), { code: 'PERMISSION_DENIED' })
  await assert.rejects(d.edit('bob', t.id, { usersAffected: 0 }), { code: 'VALIDATION', field: 'users_affected' })
  await assert.rejects(d.edit('bob', t.id, { title: t.title }), { code: 'VALIDATION', field: 'edit' })
})
