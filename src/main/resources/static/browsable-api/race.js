// The race panel of the customer list: fires N creates at once and draws each one's phases on one time axis, from
// the Server-Timing header of its answer (check, window, write, and what caught a taken login).
'use strict';

window.customerRace = (() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const WIDTH = 800;
  const LABEL = 70;
  const ROW = 14;
  const GAP = 4;
  const OUTCOMES = {
    created: '201 created',
    replayed: '201 replayed (Idempotent-Replayed)',
    check: '400, caught by the existence check',
    constraint: '400, caught by the unique constraint',
    conflict: '409, the key\'s first request was still running',
    error: '5xx, the duplicate reached the client as a server error',
    other: 'another answer',
  };

  // "check;dur=1.2, window;dur=500.3, write;dur=2.0, caught;desc=\"constraint\"" -> {check: 1.2, ..., caught: ...}
  function phasesOf(header) {
    const phases = {};
    (header || '').split(',').forEach((metric) => {
      const [name, ...parameters] = metric.trim().split(';');
      parameters.forEach((parameter) => {
        const [key, value] = parameter.split('=');
        if (key === 'dur') {
          phases[name] = Number(value);
        } else if (key === 'desc') {
          phases[name] = value.replace(/"/g, '');
        }
      });
    });
    return phases;
  }

  function outcomeOf(status, phases, replayed) {
    if (status === 201) {
      return replayed ? 'replayed' : 'created';
    }
    if (status === 400 && (phases.caught === 'check' || phases.caught === 'constraint')) {
      return phases.caught;
    }
    if (status === 409) {
      return 'conflict';
    }
    return status >= 500 ? 'error' : 'other';
  }

  async function one(index, login, key, raceStart) {
    const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    if (key) {
      headers['Idempotency-Key'] = key;
    }
    const sent = performance.now() - raceStart;
    let answer;
    try {
      answer = await fetch('/api/customer/', { method: 'POST', headers, body: JSON.stringify({ login }) });
    } catch (failed) {
      return { index, status: 0, phases: {}, outcome: 'other', sent, ended: performance.now() - raceStart };
    }
    const ended = performance.now() - raceStart;
    await answer.text();
    const phases = phasesOf(answer.headers.get('Server-Timing'));
    const outcome = outcomeOf(answer.status, phases, answer.headers.get('Idempotent-Replayed') === 'true');
    return { index, status: answer.status, phases, outcome, sent, ended };
  }

  function count(results, outcome) {
    return results.filter((result) => result.outcome === outcome).length;
  }

  function summary(results) {
    const parts = [`${results.length} requests: ${count(results, 'created')} × 201`];
    if (count(results, 'replayed')) {
      parts.push(`${count(results, 'replayed')} × 201 replayed`);
    }
    parts.push(`${count(results, 'check') + count(results, 'constraint')} × 400 (${count(results, 'check')} by the `
      + `check, ${count(results, 'constraint')} by the constraint)`);
    if (count(results, 'conflict')) {
      parts.push(`${count(results, 'conflict')} × 409`);
    }
    parts.push(`${count(results, 'error')} × 5xx`);
    if (count(results, 'other')) {
      parts.push(`${count(results, 'other')} other`);
    }
    const together = racedTogether(results);
    return `${parts.join(', ')}; ${together === results.length ? `all ${together} raced together`
      : `${together} raced together, ${results.length - together} queued in the browser`}`;
  }

  // A browser sends at most six requests at a time to one server over HTTP/1.1; the others wait for one of those
  // connections. The requests that raced together are those whose server time began before the first answer came.
  function racedTogether(results) {
    const firstAnswer = Math.min(...results.map((result) => result.ended));
    return results.filter((result) => serverStart(result) < firstAnswer).length;
  }

  function serverStart(result) {
    const serverTime = ['check', 'window', 'write'].filter((name) => typeof result.phases[name] === 'number')
      .reduce((sum, name) => sum + result.phases[name], 0);
    return Math.max(result.sent, result.ended - serverTime);
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // The server's phases end when the answer arrived; what came before them was spent waiting for a connection in
  // the browser and on the wire.
  function segmentsOf(result) {
    const names = ['check', 'window', 'write'].filter((name) => typeof result.phases[name] === 'number');
    const segments = [{ phase: 'wait', from: result.sent, to: serverStart(result) }];
    let at = segments[0].to;
    names.forEach((name) => {
      const last = name === names[names.length - 1];
      segments.push({ phase: last ? `${name} outcome-${result.outcome}` : name, from: at, to: at + result.phases[name] });
      at += result.phases[name];
    });
    return segments;
  }

  function picture(results) {
    const end = Math.max(...results.map((result) => result.ended), 1);
    const scale = (WIDTH - LABEL - 10) / end;
    const height = results.length * (ROW + GAP) + 30;
    const drawing = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'timeline',
      'aria-label': `Timeline of the race: ${summary(results)}` });
    results.forEach((result, row) => {
      const y = row * (ROW + GAP);
      const label = svg('text', { x: 0, y: y + ROW - 3, class: 'row-label' }, `#${result.index + 1} ${result.status}`);
      const group = svg('g', { class: `row outcome-${result.outcome}` });
      group.append(svg('title', {}, `#${result.index + 1}: ${OUTCOMES[result.outcome]}`), label);
      segmentsOf(result).forEach((segment) => group.append(svg('rect', {
        x: LABEL + segment.from * scale, y, height: ROW,
        width: Math.max(1, (segment.to - segment.from) * scale), class: `phase ${segment.phase}` })));
      drawing.append(group);
    });
    const axisY = results.length * (ROW + GAP) + 14;
    drawing.append(svg('text', { x: LABEL, y: axisY, class: 'axis' }, '0 ms'));
    drawing.append(svg('text', { x: WIDTH - 10, y: axisY, class: 'axis end' }, `${Math.round(end)} ms`));
    return drawing;
  }

  function legend() {
    const items = [['wait', 'waiting in the browser and on the wire'], ['check', 'existence check'],
      ['window', 'race window'], ['write outcome-created', '201'], ['check outcome-check', '400 by the check'],
      ['write outcome-constraint', '400 by the constraint'], ['write outcome-error', '5xx']];
    const list = document.createElement('ul');
    list.className = 'legend';
    items.forEach(([phase, text]) => {
      const swatch = svg('svg', { width: 14, height: 10, 'aria-hidden': 'true' });
      swatch.append(svg('rect', { width: 14, height: 10, class: `phase ${phase}` }));
      const item = document.createElement('li');
      item.append(swatch, ` ${text}`);
      list.append(item);
    });
    return list;
  }

  function table(results) {
    const details = document.createElement('details');
    const caption = document.createElement('summary');
    caption.textContent = 'The race as a table';
    const rows = document.createElement('table');
    const head = rows.createTHead().insertRow();
    ['#', 'answer', 'outcome', 'waited ms', 'check ms', 'window ms', 'write ms'].forEach((title) => {
      const cell = document.createElement('th');
      cell.textContent = title;
      head.append(cell);
    });
    const body = rows.createTBody();
    results.forEach((result) => {
      const row = body.insertRow();
      const waited = segmentsOf(result)[0];
      [result.index + 1, result.status, OUTCOMES[result.outcome], Math.round(waited.to - waited.from),
        result.phases.check ?? '', result.phases.window ?? '', result.phases.write ?? '']
        .forEach((value) => { row.insertCell().textContent = value; });
    });
    details.append(caption, rows);
    return details;
  }

  async function race(form) {
    const requests = Number(form.count.value);
    const base = `race-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    const sameLogin = form.logins.value === 'same';
    const key = form.key.checked ? `${base}-key` : undefined;
    const status = document.getElementById('race-summary');
    const button = document.getElementById('race-button');
    button.disabled = true;
    document.getElementById('race-request').textContent = `POST /api/customer/ × ${requests} at once: `
      + (sameLogin ? `{"login":"${base}"} for all` : `{"login":"${base}-1"} to {"login":"${base}-${requests}"}`)
      + (key ? `, Idempotency-Key: ${key}` : '');
    status.textContent = `Racing ${requests} requests…`;
    const start = performance.now();
    const results = await Promise.all(Array.from({ length: requests },
      (unused, index) => one(index, sameLogin ? base : `${base}-${index + 1}`, key, start)));
    document.getElementById('race-picture').replaceChildren(picture(results), legend(), table(results));
    status.textContent = summary(results);
    button.disabled = false;
  }

  function explain(page) {
    const raceWindow = Number(page.raceWindowMs);
    document.getElementById('race-explained').textContent = (raceWindow > 0
      ? `Each create checks whether its login exists, waits out the race window (${raceWindow} ms, `
        + 'customers.race-window), then inserts. '
      : 'The race window is 0 (customers.race-window): each create checks, then inserts at once. ')
      + 'The check is only a fast path: requests that pass it together all reach the insert, and the database\'s '
      + 'unique constraint lets exactly one through.';
    if (page.mapDuplicateKey === 'false') {
      const off = document.getElementById('mapping-off');
      off.textContent = 'The duplicate mapping is switched off (CUSTOMERS_MAP_DUPLICATE_KEY=false): a request that '
        + 'passes the check and then loses at the unique constraint answers 500, the DRF demo\'s bug. Switch it on '
        + 'and the same request answers 400.';
      off.hidden = false;
    }
  }

  return {
    show(page) {
      explain(page);
      const form = document.getElementById('race-form');
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (form.reportValidity()) {
          race(form);
        }
      });
      document.getElementById('race').hidden = false;
    },
  };
})();
