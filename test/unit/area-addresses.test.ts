import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express, { Router } from 'express';
import request from 'supertest';
import { firstSegments, ownAddressesOnly } from '../../src/routes/area.ts';

const stackOf = (router: Router) => (router as unknown as { stack: Parameters<typeof firstSegments>[0] }).stack;

function area(): Router {
  const router = Router();
  router.use('/guarde', (_req, _res, next) => next());
  router.use((_req, res, next) => {
    res.set('X-Area', 'vue');
    next();
  });
  const nested = Router();
  nested.get('/demandes/:id/:etape', (req, res) => void res.send(`étape ${req.params.etape}`));
  nested.post(['/compte', '/session'], (_req, res) => void res.send('compte'));
  router.use(nested);
  router.get('/', (_req, res) => void res.send('accueil'));
  return router;
}

describe('an area sees only the requests for its own addresses', () => {
  it('reads the first segments of its routes, nested routers and paths of its middleware included', () => {
    assert.deepEqual([...firstSegments(stackOf(area()))!].sort(), ['', 'compte', 'demandes', 'guarde', 'session']);
  });

  it('sees every request when one of its routes starts with a parameter or a pattern', () => {
    const parameter = Router();
    parameter.get('/:slug', (_req, res) => void res.send('x'));
    assert.equal(firstSegments(stackOf(parameter)), undefined);
    const pattern = Router();
    pattern.get(/^\/x/, (_req, res) => void res.send('x'));
    assert.equal(firstSegments(stackOf(pattern)), undefined);
    assert.equal(ownAddressesOnly(parameter), parameter);
    const inside = Router();
    inside.get('/demande-:id', (_req, res) => void res.send('x'));
    assert.equal(firstSegments(stackOf(inside)), undefined, 'un paramètre au milieu du premier segment');
  });

  it('answers its own addresses as before (whatever their case), and lets the others through untouched', async () => {
    const app = express();
    app.use(ownAddressesOnly(area()));
    app.use((_req, res) => void res.status(404).send('ailleurs'));
    const own = await request(app).get('/Demandes/12/demarche');
    assert.equal(own.text, 'étape demarche');
    assert.equal(own.headers['x-area'], 'vue');
    assert.equal((await request(app).get('/')).text, 'accueil');
    assert.equal((await request(app).post('/session')).text, 'compte');
    const other = await request(app).get('/instruction/12');
    assert.equal(other.status, 404);
    assert.equal(other.headers['x-area'], undefined, 'le middleware de la zone ne voit pas les autres adresses');
  });
});
