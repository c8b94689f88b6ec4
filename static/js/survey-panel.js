// The desk's survey panel: the open contact's questionnaire, one question at a time, as the
// server's branching gives it. State always comes from GET /api/v1/survey; the panel redraws
// after each of its actions and whenever the desk refreshes (the "desk:refresh" event).
(function () {
  "use strict";
  var panel = document.getElementById("survey");
  if (!panel) { return; }
  var T = JSON.parse(document.getElementById("survey-texts").textContent);
  var state = { data: null, drawn: null };

  function $(id) { return document.getElementById(id); }
  function show(el, visible) { el.hidden = !visible; }
  function text(el, value) { el.textContent = value == null ? "" : String(value); }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function make(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (content != null) { el.textContent = content; }
    return el;
  }
  function fill(template, values) {
    return Object.keys(values).reduce(function (out, key) {
      return out.split("%(" + key + ")s").join(String(values[key]));
    }, template);
  }

  function api(method, path, body) {
    return window.plateauApi(method, path, body, T.network);
  }

  // A refusal in words beside its field: « Motif : Indiquez le motif. ».
  var LABELS = { reason: "survey-reason", due_at: "survey-due" };
  function errorText(result) {
    var error = (result.data && result.data.error) || {};
    var fields = error.fields || {};
    var names = Object.keys(fields);
    if (!names.length) { return error.message || T.error; }
    return names.map(function (name) {
      var label = document.querySelector('label[for="' + (LABELS[name] || "") + '"]');
      if (name === "answer" || name === "question") { return fields[name]; }
      return fill(T.field_line, { field: label ? label.textContent.trim() : name, message: fields[name] });
    }).join(" ");
  }

  function act(errorId, path, body) {
    text($(errorId), "");
    return api("POST", path, body).then(function (result) {
      if (!result.ok) {
        text($(errorId), errorText(result));
        if (errorId === "survey-answer-error") {
          var first = $("survey-answer-field").querySelector("input, textarea");
          if (first) { first.setAttribute("aria-invalid", "true"); first.focus(); }
        }
        return result;
      }
      draw(result.data);
      return result;
    });
  }

  // --- The answer's control, by the question's kind ---------------------------------------
  function choice(q, type) {
    var box = make("div", "survey-options");
    var options = q.kind === "yes_no"
      ? [{ value: "oui", label: T.yes }, { value: "non", label: T.no }]
      : q.options;
    options.forEach(function (option, i) {
      var id = "survey-opt-" + i;
      var input = make("input");
      input.type = type;
      input.name = "survey-answer";
      input.id = id;
      input.value = option.value;
      var given = q.answer;
      input.checked = Array.isArray(given) ? given.indexOf(option.value) >= 0 : given === option.value;
      var label = make("label", null, option.label);
      label.setAttribute("for", id);
      var row = make("div", "survey-option");
      row.appendChild(input);
      row.appendChild(label);
      box.appendChild(row);
    });
    return box;
  }

  function control(q) {
    if (q.kind === "single" || q.kind === "yes_no") { return choice(q, "radio"); }
    if (q.kind === "multiple") { return choice(q, "checkbox"); }
    var input;
    if (q.kind === "scale") {
      input = make("input");
      input.type = "number";
      input.min = q.min;
      input.max = q.max;
      input.step = 1;
      input.setAttribute("aria-label", fill(T.scale, { min: q.min, max: q.max }));
      input.placeholder = fill(T.scale, { min: q.min, max: q.max });
    } else {
      input = make("textarea");
      input.rows = 3;
      input.maxLength = 500;
      input.setAttribute("aria-labelledby", "survey-question-text");
    }
    input.id = "survey-answer-input";
    input.value = q.answer == null ? "" : q.answer;
    return input;
  }

  function answerOf(q) {
    var field = $("survey-answer-field");
    if (q.kind === "single" || q.kind === "yes_no") {
      var picked = field.querySelector("input:checked");
      return picked ? picked.value : null;
    }
    if (q.kind === "multiple") {
      return Array.prototype.map.call(field.querySelectorAll("input:checked"), function (box) {
        return box.value;
      });
    }
    var value = $("survey-answer-input").value.trim();
    if (q.kind === "scale" && /^-?\d+$/.test(value)) { return parseInt(value, 10); }
    return value || null;
  }

  // --- Drawing ------------------------------------------------------------------------------
  function drawQuotas(quotas) {
    var list = $("survey-quotas");
    clear(list);
    quotas.forEach(function (quota) {
      var item = make("li", quota.full ? "survey-quota full" : "survey-quota",
        fill(T.quota, { label: quota.label, count: quota.count, max: quota.max }));
      item.setAttribute("data-quota", quota.key);
      if (quota.full) { item.appendChild(make("span", "badge warn", T.quota_full)); }
      list.appendChild(item);
    });
  }

  function drawAnswers(interview) {
    var list = $("survey-answers");
    clear(list);
    var answers = interview ? interview.answers : [];
    show($("survey-answers-title"), answers.length > 0);
    answers.forEach(function (a) {
      var item = make("li");
      item.setAttribute("data-question", a.question);
      item.appendChild(make("span", "muted", a.text + " "));
      item.appendChild(make("strong", null, a.in_words));
      list.appendChild(item);
    });
  }

  function drawQuestion(interview) {
    var q = interview.current;
    var form = $("survey-question-form");
    form.setAttribute("data-question", q.key);
    text($("survey-question-text"), q.text + (q.required ? "" : " " + T.optional));
    text($("survey-progress"), fill(T.progress, {
      n: interview.progress.answered + 1, total: interview.progress.total
    }));
    // A redraw of the same question keeps what the candidate is ticking or typing.
    var drawn = interview.id + ":" + q.key + ":" + JSON.stringify(q.answer);
    if (state.drawn !== drawn) {
      var field = $("survey-answer-field");
      clear(field);
      field.appendChild(control(q));
      state.drawn = drawn;
    }
    show($("survey-back"), interview.can_go_back);
  }

  function draw(data) {
    state.data = data;
    show($("survey-idle"), !data.active);
    show($("survey-body"), !!data.active);
    if (!data.active) { return; }
    var interview = data.interview;
    var running = interview && interview.status === "in_progress";
    text($("survey-name"), data.survey.title);
    drawQuotas(data.quotas || []);
    text($("survey-intro"), data.survey.intro);
    text($("survey-closing"), data.survey.closing);
    show($("survey-start-box"), !interview);
    show($("survey-question-form"), !!(running && interview.current && !interview.finished));
    show($("survey-finish-box"), !!(running && interview.finished));
    show($("survey-back-end"), !!(running && interview.can_go_back));
    show($("survey-stop"), !interview || running);
    show($("survey-abandon"), !!running);
    if (running && interview.current && !interview.finished) { drawQuestion(interview); }
    var outcome = "";
    if (interview && !running) {
      outcome = T.statuses[interview.status] || interview.status;
      if (interview.reason) { outcome += " " + fill(T.reason, { reason: interview.reason }); }
    }
    text($("survey-outcome"), outcome);
    $("survey-outcome").setAttribute("data-status", interview ? interview.status : "");
    drawAnswers(interview);
  }

  function refresh() {
    return api("GET", "/survey").then(function (result) {
      if (result.ok) { draw(result.data); }
    });
  }

  function interviewPath(suffix) {
    var interview = state.data && state.data.interview;
    return interview ? "/survey/interviews/" + interview.id + suffix : null;
  }

  // --- Wiring -------------------------------------------------------------------------------
  $("survey-start").addEventListener("click", function () {
    act("survey-stop-error", "/survey/interviews", {});
  });
  $("survey-question-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var q = state.data && state.data.interview && state.data.interview.current;
    if (!q) { return; }
    act("survey-answer-error", interviewPath("/answers"), { question: q.key, answer: answerOf(q) });
  });
  function back() { act("survey-answer-error", interviewPath("/back"), {}); }
  $("survey-back").addEventListener("click", back);
  $("survey-back-end").addEventListener("click", back);
  $("survey-complete").addEventListener("click", function () {
    act("survey-answer-error", interviewPath("/complete"), {});
  });
  $("survey-refuse").addEventListener("click", function () {
    act("survey-stop-error", "/survey/refusal", { reason: $("survey-reason").value });
  });
  $("survey-abandon").addEventListener("click", function () {
    act("survey-stop-error", interviewPath("/abandon"), { reason: $("survey-reason").value });
  });
  $("survey-callback").addEventListener("click", function () {
    var raw = $("survey-due").value;
    var due = raw ? new Date(raw).toISOString() : null;
    act("survey-stop-error", "/survey/callback", { due_at: due, reason: $("survey-reason").value });
  });

  document.addEventListener("desk:refresh", refresh);
  refresh();
})();
