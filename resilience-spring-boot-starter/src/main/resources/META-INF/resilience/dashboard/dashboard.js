// The live page: reads snapshot.json (served beside this file) and the resilienceevents actuator endpoint every
// refresh interval, and keeps one tile per instance. Plain script, no libraries, nothing fetched from elsewhere.
(function () {
  'use strict';

  var snapshotUrl = 'snapshot.json';
  var refreshMillis = 1000;
  var previous = null;       // the last snapshot and when it came, for the per-second rates
  var links = null;          // where the actuator is, from the snapshot
  var events = [];
  var maxEventRows = 300;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function status(text, error) {
    var node = $('status');
    node.textContent = text;
    node.className = error ? 'status error' : 'status';
  }

  function percent(value) { return value < 0 ? 'n/a' : value.toFixed(1) + ' %'; }

  function perSecond(key, total, now) {
    if (!previous || previous.totals[key] === undefined) { return '\u2013'; }
    var seconds = (now - previous.at) / 1000;
    var delta = total - previous.totals[key];
    // A reset starts the counters again: show nothing rather than a negative rate.
    if (seconds <= 0 || delta < 0) { return '\u2013'; }
    return (delta / seconds).toFixed(1) + '/s';
  }

  // One tile per instance, created once and updated in place, so a button keeps its focus between refreshes.
  function tile(container, kind, name) {
    var id = 'tile-' + kind + '-' + name;
    var node = document.getElementById(id);
    if (!node) {
      node = el('article', 'tile');
      node.id = id;
      node.setAttribute('data-kind', kind);
      node.setAttribute('data-name', name);
      var head = el('div', 'tile-head');
      head.appendChild(el('span', 'tile-name', name));
      head.appendChild(el('span', 'state'));
      node.appendChild(head);
      node.appendChild(el('div', 'rows'));
      container.appendChild(node);
    }
    node.setAttribute('data-seen', 'yes');
    return node;
  }

  function setState(node, state, tone) {
    node.className = 'tile ' + tone;
    var badge = node.querySelector('.state');
    badge.textContent = state;
    node.setAttribute('data-state', state);
  }

  function rows(node, list) {
    var box = node.querySelector('.rows');
    box.textContent = '';
    list.forEach(function (item) {
      var row = el('div', 'row');
      row.appendChild(el('span', 'label', item[0]));
      var value = el('span', 'value', item[1]);
      if (item[3]) { value.setAttribute('data-field', item[3]); }
      row.appendChild(value);
      box.appendChild(row);
      if (item[2]) { box.appendChild(item[2]); }
    });
  }

  function meter(value, max, threshold) {
    var bar = el('div', 'meter');
    var fill = el('div', 'fill');
    var share = max > 0 && value > 0 ? Math.min(100, value * 100 / max) : 0;
    fill.style.width = share + '%';
    if (threshold !== undefined ? value >= threshold && value >= 0 : value >= max) { fill.className = 'fill over'; }
    bar.appendChild(fill);
    if (threshold !== undefined) {
      var mark = el('div', 'mark');
      mark.style.left = 'calc(' + Math.min(100, threshold * 100 / max) + '% - 1px)';
      mark.title = 'threshold ' + threshold + ' %';
      bar.appendChild(mark);
    }
    return bar;
  }

  function breakerTone(state) {
    if (state === 'CLOSED') { return 'ok'; }
    if (state === 'HALF_OPEN') { return 'warn'; }
    if (state === 'OPEN' || state === 'FORCED_OPEN') { return 'bad'; }
    return 'off';
  }

  function actions(node, name) {
    var box = node.querySelector('.actions');
    if (!links.writes || !links.circuitBreakers) {
      if (box) { box.parentNode.removeChild(box); }
      return;
    }
    if (box) { return; }
    box = el('div', 'actions');
    [['force-open', 'Force open', { state: 'FORCED_OPEN' }, 'danger'],
      ['close', 'Close', { state: 'CLOSED' }, ''],
      ['reset', 'Reset', { reset: true }, '']].forEach(function (spec) {
      var button = el('button', spec[3], spec[1]);
      button.type = 'button';
      button.setAttribute('data-action', spec[0]);
      button.addEventListener('click', function () { write(name, spec[2], spec[1]); });
      box.appendChild(button);
    });
    node.appendChild(box);
  }

  function write(name, body, label) {
    fetch(links.circuitBreakers + '/' + encodeURIComponent(name), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      status(label + ' ' + name + ': done');
      refresh();
    }).catch(function (error) {
      status(label + ' ' + name + ' failed: ' + error.message, true);
    });
  }

  function render(snapshot, now) {
    var totals = {};
    var breakers = $('circuitbreakers');
    snapshot.circuitBreakers.forEach(function (b) {
      var node = tile(breakers, 'circuitbreaker', b.name);
      setState(node, b.state, breakerTone(b.state));
      var key = 'cb:' + b.name;
      totals[key + ':calls'] = b.calls;
      totals[key + ':rejected'] = b.notPermittedCalls;
      rows(node, [
        ['failure rate', percent(b.failureRate) + ' / ' + b.failureRateThreshold + ' %',
          meter(b.failureRate, 100, b.failureRateThreshold), 'failureRate'],
        ['slow-call rate', percent(b.slowCallRate) + ' / ' + b.slowCallRateThreshold + ' %',
          meter(b.slowCallRate, 100, b.slowCallRateThreshold), 'slowCallRate'],
        ['calls in window', b.bufferedCalls + ' (min ' + b.minimumNumberOfCalls + ')', null, 'bufferedCalls'],
        ['calls', perSecond(key + ':calls', b.calls, now), null, 'callsPerSecond'],
        ['rejected', perSecond(key + ':rejected', b.notPermittedCalls, now) + ' (' + b.notPermittedCalls + ')', null,
          'rejected']
      ]);
      actions(node, b.name);
    });
    var bulkheads = $('bulkheads');
    snapshot.bulkheads.forEach(function (b) {
      var node = tile(bulkheads, b.type === 'THREADPOOL' ? 'thread-pool-bulkhead' : 'bulkhead', b.name);
      var full = b.inUse >= b.maxConcurrentCalls;
      setState(node, full ? 'FULL' : b.type === 'THREADPOOL' ? 'THREAD POOL' : 'OK',
        full ? 'bad' : b.inUse * 10 >= b.maxConcurrentCalls * 8 ? 'warn' : 'ok');
      var key = 'bh:' + b.type + ':' + b.name;
      totals[key + ':permitted'] = b.permittedCalls;
      totals[key + ':rejected'] = b.rejectedCalls;
      rows(node, [
        ['in use', b.inUse + ' of ' + b.maxConcurrentCalls, meter(b.inUse, b.maxConcurrentCalls), 'inUse'],
        ['waiting', String(b.waitingCalls), null, 'waiting'],
        ['admitted', perSecond(key + ':permitted', b.permittedCalls, now), null, 'permitted'],
        ['rejected', perSecond(key + ':rejected', b.rejectedCalls, now) + ' (' + b.rejectedCalls + ')', null, 'rejected']
      ]);
    });
    var limiters = $('ratelimiters');
    snapshot.rateLimiters.forEach(function (r) {
      var node = tile(limiters, 'ratelimiter', r.name);
      var used = r.limitForPeriod - Math.max(0, r.availablePermissions);
      var rejecting = previous && previous.totals['rl:' + r.name + ':rejected'] !== undefined
        && r.rejectedCalls > previous.totals['rl:' + r.name + ':rejected'];
      setState(node, rejecting ? 'REJECTING' : r.availablePermissions <= 0 ? 'EXHAUSTED' : 'OK',
        rejecting ? 'bad' : r.availablePermissions <= 0 ? 'warn' : 'ok');
      var key = 'rl:' + r.name;
      totals[key + ':permitted'] = r.permittedCalls;
      totals[key + ':rejected'] = r.rejectedCalls;
      rows(node, [
        ['permits used', used + ' of ' + r.limitForPeriod + ' per ' + period(r.limitRefreshPeriodMillis),
          meter(used, r.limitForPeriod), 'permits'],
        ['waiting', String(r.waitingCalls), null, 'waiting'],
        ['admitted', perSecond(key + ':permitted', r.permittedCalls, now), null, 'permitted'],
        ['rejected', perSecond(key + ':rejected', r.rejectedCalls, now) + ' (' + r.rejectedCalls + ')', null, 'rejected']
      ]);
    });
    var retries = $('retries');
    snapshot.retries.forEach(function (r) {
      var node = tile(retries, 'retry', r.name);
      var key = 'rt:' + r.name;
      var retried = r.successfulCallsWithRetry + r.failedCallsWithRetry;
      totals[key + ':retried'] = retried;
      var failing = previous && previous.totals[key + ':failed'] !== undefined
        && r.failedCallsWithRetry > previous.totals[key + ':failed'];
      totals[key + ':failed'] = r.failedCallsWithRetry;
      setState(node, failing ? 'EXHAUSTED' : 'OK', failing ? 'bad' : 'ok');
      rows(node, [
        ['max attempts', String(r.maxAttempts), null, 'maxAttempts'],
        ['calls retried', perSecond(key + ':retried', retried, now) + ' (' + retried + ')', null, 'retried'],
        ['ok / failed after retry', r.successfulCallsWithRetry + ' / ' + r.failedCallsWithRetry, null, 'outcomes'],
        ['ok / failed first time', r.successfulCallsWithoutRetry + ' / ' + r.failedCallsWithoutRetry, null, 'first'],
        ['budget left', r.budgetRemaining < 0 ? 'no budget' : r.budgetRemaining + ' (refused ' + r.retriesRefusedByBudget
          + ')', null, 'budget']
      ]);
    });
    // Instances removed since the last refresh go away.
    Array.prototype.forEach.call(document.querySelectorAll('.tile'), function (node) {
      if (node.getAttribute('data-seen') !== 'yes') { node.parentNode.removeChild(node); }
      node.removeAttribute('data-seen');
    });
    // A kind without instances shows no heading either.
    ['circuitbreakers', 'bulkheads', 'ratelimiters', 'retries'].forEach(function (id) {
      $(id).parentNode.hidden = $(id).children.length === 0;
    });
    previous = { at: now, totals: totals };
  }

  function period(millis) {
    if (millis % 60000 === 0) { return millis === 60000 ? 'minute' : millis / 60000 + ' min'; }
    if (millis % 1000 === 0) { return millis === 1000 ? 'second' : millis / 1000 + ' s'; }
    return millis + ' ms';
  }

  var drawn = null;  // what the event log shows now: redrawn only when the events or the filter change

  function renderEvents() {
    var text = $('event-filter').value.trim().toLowerCase();
    var kind = $('event-kind').value;
    var last = events.length ? events[events.length - 1] : null;
    var signature = events.length + '|' + (last ? last.time + last.name + last.type : '') + '|' + kind + '|' + text;
    if (signature === drawn) { return; }
    drawn = signature;
    var body = document.querySelector('#events tbody');
    body.textContent = '';
    var shown = 0;
    for (var i = events.length - 1; i >= 0 && shown < maxEventRows; i--) {
      var event = events[i];
      if (kind && event.kind !== kind) { continue; }
      var details = Object.keys(event).filter(function (key) {
        return key !== 'kind' && key !== 'name' && key !== 'type' && key !== 'time';
      }).map(function (key) { return key + '=' + event[key]; }).join(', ');
      if (text && (event.name + ' ' + event.type + ' ' + event.kind + ' ' + details).toLowerCase().indexOf(text) < 0) {
        continue;
      }
      var row = el('tr');
      row.setAttribute('data-kind', event.kind);
      row.setAttribute('data-name', event.name);
      row.appendChild(el('td', 'time', event.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')));
      row.appendChild(el('td', 'nowrap', event.kind));
      row.appendChild(el('td', '', event.name));
      row.appendChild(el('td', 'nowrap', event.type));
      row.appendChild(el('td', 'details', details));
      body.appendChild(row);
      shown++;
    }
    $('event-count').textContent = shown + ' of ' + events.length + ' events';
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ': HTTP ' + response.status); }
        return response.json();
      });
  }

  var timer = null;
  var inFlight = false;
  var again = false;

  // One refresh at a time: a button's refresh asked for during another runs right after it.
  function refresh() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    if (timer) { clearTimeout(timer); timer = null; }
    getJson(snapshotUrl).then(function (snapshot) {
      refreshMillis = snapshot.refreshMillis;
      links = snapshot.actuator;
      $('mode').textContent = links.writes ? 'breaker writes enabled' : 'read-only';
      render(snapshot, Date.now());
      $('events-unavailable').hidden = !!links.events;
      if (!links.events) { return null; }
      return getJson(links.events).then(function (answer) {
        events = answer.events || [];
        renderEvents();
      });
    }).then(function () {
      status('updated ' + new Date().toLocaleTimeString());
    }).catch(function (error) {
      status('cannot refresh: ' + error.message, true);
    }).then(function () {
      inFlight = false;
      timer = setTimeout(refresh, again ? 0 : refreshMillis);
      again = false;
    });
  }

  $('event-filter').addEventListener('input', renderEvents);
  $('event-kind').addEventListener('change', renderEvents);
  refresh();
}());
