// The browsable API's page: it asks its view for JSON, offers the view's methods as forms, and on the list draws a
// race. Every request goes through fetch, as curl would send it, and the page shows the real answer.
'use strict';

const page = document.body.dataset;
const allowed = page.allow.split(', ');
const JSON_TYPE = 'application/json';
const SHOWN_HEADERS = ['allow', 'content-type', 'location', 'vary', 'server-timing', 'idempotent-replayed',
  'retry-after', 'served-by'];

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  children.forEach((child) => node.append(child));
  return node;
}

// One request through the API, shown in the page with its answer.
async function send(method, body, headers = {}) {
  const request = { method, headers: { Accept: JSON_TYPE, ...headers } };
  if (body !== undefined) {
    request.headers['Content-Type'] = JSON_TYPE;
    request.body = JSON.stringify(body);
  }
  showRequest(method, request);
  const answer = await fetch(page.path, request);
  const text = await answer.text();
  showAnswer(answer, text);
  return answer;
}

function showRequest(method, request) {
  const lines = [`${method} ${page.path}`];
  Object.entries(request.headers).forEach(([name, value]) => lines.push(`${name}: ${value}`));
  if (request.body) {
    lines.push('', request.body);
  }
  document.getElementById('request').textContent = lines.join('\n');
}

function showAnswer(answer, text) {
  const shown = document.getElementById('answer');
  shown.replaceChildren(`HTTP ${answer.status} ${answer.statusText}\n`);
  SHOWN_HEADERS.filter((name) => answer.headers.has(name))
    .forEach((name) => shown.append(`${headerName(name)}: ${answer.headers.get(name)}\n`));
  shown.append('\n');
  shown.append(...bodyWithLinks(text));
  shown.dataset.status = answer.status;
}

function headerName(name) {
  return name.replace(/(^|-)([a-z])/g, (all, dash, letter) => dash + letter.toUpperCase());
}

// The answer's JSON, indented as DRF shows it, with its URLs (and, on the list, each customer's id) as links.
function bodyWithLinks(text) {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 4);
  } catch (notJson) {
    return [text];
  }
  const parts = [];
  let last = 0;
  const links = /"(https?:\/\/[^"]+)"|("id": )(\d+)/g;
  for (const match of pretty.matchAll(links)) {
    parts.push(pretty.slice(last, match.index));
    if (match[1]) {
      parts.push('"', element('a', { href: match[1] }, match[1]), '"');
    } else if (page.path === '/api/customer/') {
      parts.push(match[2], element('a', { href: `/api/customer/${match[3]}/` }, match[3]));
    } else {
      parts.push(match[0]);
    }
    last = match.index + match[0].length;
  }
  parts.push(pretty.slice(last));
  return parts;
}

function button(label, action) {
  const node = element('button', { type: 'button' }, label);
  node.addEventListener('click', action);
  return node;
}

// A form for the methods that take a login: POST on the list, PUT and PATCH on an instance.
function loginForm(methods, withKey) {
  const login = element('input', { name: 'login', id: 'login', autocomplete: 'off' });
  const key = element('input', { name: 'idempotency-key', id: 'idempotency-key', autocomplete: 'off' });
  const form = element('form', { id: 'login-form' },
    element('h2', {}, methods.join(' / ')),
    element('label', { for: 'login' }, 'login '), login);
  if (withKey) {
    form.append(element('label', { for: 'idempotency-key' }, ' Idempotency-Key (optional) '), key);
  }
  methods.forEach((method) => form.append(button(method, () => {
    const headers = withKey && key.value ? { 'Idempotency-Key': key.value } : {};
    send(method, { login: login.value }, headers);
  })));
  form.addEventListener('submit', (event) => event.preventDefault());
  return form;
}

function showForms() {
  const forms = document.getElementById('forms');
  const writes = ['POST', 'PUT', 'PATCH'].filter((method) => allowed.includes(method));
  if (writes.length) {
    forms.append(loginForm(writes, allowed.includes('POST')));
  }
  const others = element('p', { class: 'methods' }, button('GET', () => send('GET')));
  if (allowed.includes('DELETE')) {
    others.append(button('DELETE', () => send('DELETE')));
  }
  others.append(button('OPTIONS', () => send('OPTIONS')));
  forms.append(others);
}

function crumbs() {
  const trail = document.getElementById('crumbs');
  if (page.path.startsWith('/api/customer/')) {
    trail.append('/ ', element('a', { href: '/api/customer/' }, 'Customer List'));
  }
  const id = page.path.match(/^\/api\/customer\/([^/]+)\/$/);
  if (id) {
    trail.append(` / Customer ${decodeURIComponent(id[1])}`);
  }
}

crumbs();
showForms();
send('GET');
if (page.raceWindowMs !== undefined) {
  window.customerRace.show(page);
}
