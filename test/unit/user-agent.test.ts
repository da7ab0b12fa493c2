import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeUserAgent } from '../../src/domain/user-agent.ts';

describe('User-Agent as people name their browser', () => {
  it('says the browser and the system, never the raw string', () => {
    assert.equal(
      describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'),
      'Firefox sur Windows',
    );
    assert.equal(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
      'Safari sur iOS',
    );
    assert.equal(
      describeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      ),
      'Chrome sur Linux',
    );
  });

  it('says « Navigateur inconnu » when nothing is recognised', () => {
    for (const ua of ['', null, undefined, 'curl/8.0', '   '])
      assert.equal(describeUserAgent(ua), 'Navigateur inconnu', String(ua));
  });
});
