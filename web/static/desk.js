// Vincula console, the hub staff's desk: checks the CURP as it is typed and suggests
// occupations and skills from the vocabulary in the language the person speaks. The
// form works without this script; the server checks everything again on saving.
(function () {
  'use strict';
  var form = document.getElementById('desk');
  if (!form) { return; }
  var data = form.dataset;

  // The CURP, by RENAPO's layout and check digit (models.ValidCURP on the server).
  var ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
  var states = (data.curpStates || '').split(' ');
  function say(key, value) { return (data['curp' + key] || '').replace('%d', value).replace('%s', value); }
  function letter(c) { return /^[A-ZÑ]$/.test(c); }
  function digit(c) { return /^[0-9]$/.test(c); }
  function realDay(year, month, day) {
    var d = new Date(Date.UTC(year, month - 1, day));
    return month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  }
  // realDate judges the birth date of a whole CURP (character 17 tells the century),
  // or of a CURP still being typed in either century.
  function realDate(r, whole) {
    var yy = Number(r[4] + r[5]), month = Number(r[6] + r[7]), day = Number(r[8] + r[9]);
    if (whole) { return realDay((letter(r[16]) ? 2000 : 1900) + yy, month, day); }
    return realDay(1900 + yy, month, day) || realDay(2000 + yy, month, day);
  }
  function curpProblem(s) {
    var r = Array.from(s), i;
    for (i = 0; i < r.length && i < 18; i++) {
      var c = r[i];
      if (i < 4 && !letter(c)) { return say('Letter', i + 1); }
      if (i >= 4 && i < 10 && !digit(c)) { return say('Date', ''); }
      if (i === 9 && !realDate(r, false)) { return say('Date', ''); }
      if (i === 10 && 'HMX'.indexOf(c) < 0) { return say('Sex', ''); }
      if (i === 12 && states.indexOf(r[11] + r[12]) < 0) { return say('State', ''); }
      if (i >= 13 && i < 16 && (!letter(c) || 'AEIOU'.indexOf(c) >= 0)) { return say('Consonant', i + 1); }
      if (i === 16 && !digit(c) && !letter(c)) { return say('Diff', ''); }
    }
    if (r.length !== 18) { return say('Length', r.length); }
    if (!realDate(r, true)) { return say('Date', ''); }
    var sum = 0;
    for (i = 0; i < 17; i++) { sum += ALPHABET.indexOf(r[i]) * (18 - i); }
    var want = String((10 - sum % 10) % 10);
    if (r[17] !== want) { return say('Check', want); }
    return '';
  }
  var curp = document.getElementById('curp');
  var curpOut = document.getElementById('curp-check');
  function checkCURP() {
    var s = curp.value.trim().toUpperCase();
    if (s === '') {
      curpOut.textContent = '';
      curpOut.className = 'hint';
      curp.removeAttribute('aria-invalid');
      return;
    }
    var problem = curpProblem(s);
    curpOut.textContent = problem || data.curpOk;
    curpOut.className = problem ? 'hint curp-bad' : 'hint curp-good';
    if (problem && Array.from(s).length >= 18) {
      curp.setAttribute('aria-invalid', 'true');
    } else {
      curp.removeAttribute('aria-invalid');
    }
  }
  if (curp && curpOut) {
    curp.addEventListener('input', checkCURP);
    if (curp.value) { checkCURP(); }
  }

  // Suggestions from the vocabulary, in the language the person speaks.
  var speaks = document.getElementById('speaks');
  var asked = 0;
  function suggest(input) {
    var q = input.value.trim();
    var list = document.getElementById(input.getAttribute('list'));
    if (!list || q.length < 2) { return; }
    var n = ++asked;
    var url = data.vocab + input.dataset.suggest + '?q=' + encodeURIComponent(q) + '&lang=' + encodeURIComponent(speaks ? speaks.value : 'es');
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : []; })
      .then(function (items) {
        if (n !== asked) { return; }
        list.textContent = '';
        items.forEach(function (it) {
          var o = document.createElement('option');
          o.value = it.label;
          if (it.es && it.es !== it.label) { o.label = it.es; }
          list.appendChild(o);
        });
      })
      .catch(function () { /* no suggestion: the person's words are kept as typed */ });
  }
  Array.prototype.forEach.call(form.querySelectorAll('input[data-suggest]'), function (input) {
    var timer = 0;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { suggest(input); }, 150);
    });
  });
})();
