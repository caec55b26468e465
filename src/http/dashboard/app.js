/*
 * The budget dashboard (docs/dashboard.md). Plain JS, no build step. It reads the public API with a
 * dashboard token (Authorization header; the token comes from the URL fragment #token=… once, then
 * lives in localStorage) and renders: the performance indicators against their targets, two
 * ECharts charts, and the eleven official tables in their published layout (header-layout.js).
 * Live: a fetch()-read server-sent-event stream says when the budget year changes; the page then
 * reloads what it shows. An as-of time shows the ledger as it was then (asOf on every read).
 * Times are the ledger's (GET /api/time-zone, Asia/Shanghai unless configured), whatever zone the
 * browser is in: the as-of control takes a date-time in the ledger's zone and sends it as it is, for
 * the server reads a date-time without an offset in that zone.
 */
;(function () {
  'use strict'

  var TOKEN_KEY = 'budget-ledger.dashboardToken'
  var TABLE_KEY = 'budget-ledger.table'
  var state = {
    token: null,
    units: [],
    unit: null,
    year: null,
    /**
     * The as-of view, as sent to the server: a date-time in the ledger's zone (YYYY-MM-DDTHH:MM:SS,
     * from the control) or an instant with its offset (an older bookmark); null for the ledger as it stands.
     */
    asOf: null,
    /** The ledger's time zone (IANA name), from the server. */
    zone: null,
    table: localStorage.getItem(TABLE_KEY) || '1',
    tables: [],
    revision: null,
    /** The latest revision the live stream announced. */
    latest: null,
    live: null,
    liveOn: false,
    refreshing: null,
    again: false,
    charts: {},
  }

  var $ = function (id) { return document.getElementById(id) }
  var el = function (tag, attrs, children) {
    var e = document.createElement(tag)
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k]
      else if (k === 'className') e.className = attrs[k]
      else e.setAttribute(k, attrs[k])
    }
    ;(children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c) })
    return e
  }

  // ---------------------------------------------------------------------------------------------
  // Money: 元 decimal strings to 万元 with two decimals, half-up, exactly (BigInt on 分).

  function yuanToWan(s) {
    var m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(s).trim())
    if (!m) return String(s)
    var fen = BigInt(m[2]) * 100n + BigInt((m[3] || '').padEnd(2, '0'))
    var q = fen / 10000n
    if ((fen % 10000n) * 2n >= 10000n) q += 1n
    var digits = q.toString().padStart(3, '0')
    var neg = m[1] === '-' && q !== 0n
    return (neg ? '-' : '') + digits.slice(0, -2) + '.' + digits.slice(-2)
  }

  // ---------------------------------------------------------------------------------------------
  // Messages, never raw JSON.

  function showMessage(text, kind) {
    var m = $('message')
    if (!text) { m.hidden = true; m.textContent = ''; return }
    m.hidden = false
    m.className = 'message ' + (kind || 'error')
    m.textContent = text
  }

  function problemText(status, body) {
    var why = {
      400: '请求的参数不正确',
      401: '令牌无效，请重新输入看板令牌',
      403: '该令牌无权查看此内容（需要 dashboard、auditor 或 finance 角色）',
      404: '未找到该单位或年度（或在所选时点尚未建立）',
      503: '服务器繁忙，请稍后再试',
    }[status] || '服务器未能答复（' + status + '）'
    // The server's own words (English) only where they say what to fix: a bad parameter, a failure.
    var detail = body && typeof body.detail === 'string' && (status === 400 || status >= 500) ? body.detail : ''
    return why + (detail ? '（' + detail + '）' : '')
  }

  // ---------------------------------------------------------------------------------------------
  // The API.

  function withAsOf(path) {
    if (!state.asOf) return path
    return path + (path.indexOf('?') < 0 ? '?' : '&') + 'asOf=' + encodeURIComponent(state.asOf)
  }

  function yearPath() { return '/api/units/' + encodeURIComponent(state.unit) + '/years/' + state.year }

  function ApiError(status, body) { this.status = status; this.body = body; this.message = problemText(status, body) }

  async function api(path) {
    var res = await fetch(path, { headers: { Authorization: 'Bearer ' + state.token, Accept: 'application/json' }, cache: 'no-cache' })
    var type = res.headers.get('content-type') || ''
    var body = type.indexOf('json') >= 0 ? await res.json().catch(function () { return null }) : await res.text()
    if (!res.ok) {
      if (res.status === 401) askToken('令牌无效或已被撤销，请重新输入看板令牌。')
      throw new ApiError(res.status, body)
    }
    return { body: body, etag: res.headers.get('etag') }
  }

  // ---------------------------------------------------------------------------------------------
  // Token: from #token=… once (then removed from the address), else localStorage, else ask.

  function readFragment() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''))
    var token = params.get('token')
    if (token) {
      localStorage.setItem(TOKEN_KEY, token)
      params.delete('token')
    }
    if (params.get('unit')) state.unit = params.get('unit')
    if (params.get('year')) state.year = Number(params.get('year'))
    if (params.get('table')) state.table = params.get('table')
    if (params.get('asOf')) state.asOf = params.get('asOf')
    history.replaceState(null, '', location.pathname + location.search + (params.toString() ? '#' + params.toString() : ''))
    state.token = localStorage.getItem(TOKEN_KEY)
  }

  /** The view's address (no token in it), so a view can be bookmarked or shared. */
  function writeFragment() {
    var params = new URLSearchParams()
    if (state.unit) params.set('unit', state.unit)
    if (state.year) params.set('year', String(state.year))
    params.set('table', state.table)
    if (state.asOf) params.set('asOf', state.asOf)
    history.replaceState(null, '', location.pathname + location.search + '#' + params.toString())
  }

  function askToken(why) {
    stopLive()
    localStorage.removeItem(TOKEN_KEY)
    state.token = null
    $('main').hidden = true
    $('token-panel').hidden = false
    showMessage(why || '', 'info')
    $('token-input').focus()
  }

  // ---------------------------------------------------------------------------------------------
  // Context line: which unit, year, moment and revision the page shows; always visible.

  function showContext() {
    var u = state.units.find(function (x) { return x.unit === state.unit })
    $('ctx-unit').textContent = (u && u.name ? u.name : '') + '（' + (state.unit || '—') + '）· ' + (state.year || '—') + ' 年度'
    var t = $('ctx-time')
    if (state.asOf) {
      t.textContent = '历史时点：' + describeAsOf(state.asOf)
      t.className = 'ctx-time past'
    } else {
      t.textContent = '当前数据'
      t.className = 'ctx-time'
    }
    $('ctx-revision').textContent = state.revision == null ? '' : '账本修订号 ' + state.revision
    document.body.dataset.revision = state.revision == null ? '' : String(state.revision)
    document.body.classList.toggle('as-of', Boolean(state.asOf))
  }

  // ---------------------------------------------------------------------------------------------
  // Times in the ledger's zone (never the browser's): Intl reads an instant's wall clock there.

  var ZONE_NAMES = { 'Asia/Shanghai': '北京时间' }
  var LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/
  var clocks = {}

  /** An instant's wall clock in the ledger's zone: { date, time, offset: '+08:00' }. */
  function zoneClock(ms) {
    var f = clocks[state.zone] || (clocks[state.zone] = new Intl.DateTimeFormat('en-US', {
      timeZone: state.zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
    }))
    var p = {}
    f.formatToParts(new Date(ms)).forEach(function (x) { p[x.type] = x.value })
    var offset = p.timeZoneName.replace(/^GMT/, '') || '+00:00'
    return { date: p.year + '-' + p.month + '-' + p.day, time: (p.hour === '24' ? '00' : p.hour) + ':' + p.minute + ':' + p.second, offset: offset }
  }

  /** The wall-clock offset of the ledger's zone at a date-time written in it (as the server reads it). */
  function offsetAtLocal(date, time) {
    var wall = Date.parse(date + 'T' + time + 'Z')
    var minutes = function (o) { var m = /^([+-])(\d{2}):(\d{2})$/.exec(o); return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) }
    var guess = wall - minutes(zoneClock(wall).offset) * 60000
    return zoneClock(wall - minutes(zoneClock(guess).offset) * 60000).offset
  }

  /** "北京时间 Asia/Shanghai，UTC+08:00": the zone a shown time is in, named. */
  function zoneLabel(offset) {
    return (ZONE_NAMES[state.zone] ? ZONE_NAMES[state.zone] + ' ' : '') + state.zone + '，UTC' + offset
  }

  /** The as-of value as the control shows it (YYYY-MM-DDTHH:MM:SS in the ledger's zone). */
  function asOfInput(asOf) {
    var m = LOCAL.exec(asOf)
    if (m) return m[1] + 'T' + m[2] + (m[3] || ':00')
    var c = zoneClock(Date.parse(asOf))
    return c.date + 'T' + c.time
  }

  /** "2021-07-01 10:00:00（北京时间 Asia/Shanghai，UTC+08:00）": the as-of moment in the ledger's zone. */
  function describeAsOf(asOf) {
    var m = LOCAL.exec(asOf)
    var c = m ? { date: m[1], time: m[2] + (m[3] || ':00') } : zoneClock(Date.parse(asOf))
    return c.date + ' ' + c.time + '（' + zoneLabel(m ? offsetAtLocal(c.date, c.time) : c.offset) + '）'
  }

  /** The live status once connected: live, or (as of a past moment) whether the ledger has moved on. */
  function showConnected() {
    if (!state.liveOn) return
    if (!state.asOf) return setLive('on', '● 实时更新')
    var newer = state.latest != null && state.revision != null && state.latest > state.revision
    setLive('on', newer ? '◆ 历史时点：账本此后已有新记录（修订号 ' + state.latest + '），点“回到当前”查看' : '◆ 历史时点：不随新记录更新')
  }

  function setLive(kind, text) {
    var l = $('live')
    l.className = 'live live-' + kind
    l.textContent = text
    document.body.dataset.live = kind
  }

  // ---------------------------------------------------------------------------------------------
  // Indicators.

  // A mark and a style per status; the words are the API's statusLabel (one vocabulary with the CLI).
  var STATUS_MARK = {
    met: ['✔ ', 'met'],
    'not met': ['✘ ', 'not-met'],
    'not applicable': ['— ', 'na'],
    'no target': ['', 'na'],
  }

  function side(quantity, s) {
    return s.label + ' ' + (quantity === 'amount' ? yuanToWan(s.value) + ' 万元' : s.value + ' 项')
  }

  function renderIndicators(report) {
    var box = $('indicators')
    box.textContent = ''
    var table = el('table', { className: 'indicator-table' })
    table.appendChild(el('thead', null, [el('tr', null, ['指标', '目标值', '本期值', '是否达标', '计算依据'].map(function (h) { return el('th', { text: h }) }))]))
    var body = el('tbody')
    report.indicators.forEach(function (i) {
      var s = STATUS_MARK[i.status] || ['', 'na']
      var head = i.variants.find(function (v) { return v.headline }) || i.variants[0]
      var basis = head ? side(i.quantity, head.numerator) + ' ÷ ' + side(i.quantity, head.denominator) : ''
      var others = i.variants.filter(function (v) { return !v.headline }).map(function (v) {
        return v.label + '：' + (v.value == null ? v.statusLabel : v.value + '%')
      })
      var row = el('tr', { 'data-indicator': i.id, 'data-status': i.status }, [
        el('th', { scope: 'row', title: i.formula, text: i.name }),
        el('td', { className: 'num', text: i.target ? i.target.text : '—' }),
        el('td', { className: 'num value', text: i.value == null ? '—' : i.value + '%' }),
        el('td', null, [el('span', { className: 'badge ' + s[1], title: i.note || '', text: s[0] + i.statusLabel })]),
        el('td', { className: 'basis' }, [basis, others.length ? el('div', { className: 'variants', text: '另：' + others.join('；') }) : null, i.note ? el('div', { className: 'note', text: i.note }) : null]),
      ])
      body.appendChild(row)
    })
    table.appendChild(body)
    box.appendChild(table)
  }

  // ---------------------------------------------------------------------------------------------
  // Charts (Apache ECharts).

  var FONT = '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

  function chart(id) {
    if (!window.echarts) return null
    if (!state.charts[id]) state.charts[id] = window.echarts.init($(id), null, { renderer: 'canvas' })
    return state.charts[id]
  }

  function renderCharts(x) {
    var byClass = chart('chart-class')
    var byMonth = chart('chart-month')
    if (!byClass || !byMonth) {
      $('chart-class').textContent = $('chart-month').textContent = '图表组件未能加载（/vendor/echarts.min.js）'
      return
    }
    var money = function (v) { return Number(v).toFixed(2) }
    byClass.setOption({
      textStyle: { fontFamily: FONT },
      animationDuration: 300,
      tooltip: { trigger: 'axis', valueFormatter: money },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: x.byClass.map(function (c) { return c.code + ' ' + c.name }), axisLabel: { interval: 0, width: 120, overflow: 'break' } },
      yAxis: { type: 'value', name: '万元' },
      series: [
        { name: '年初预算', type: 'bar', data: x.byClass.map(function (c) { return Number(c.initialWan) }), itemStyle: { color: '#9fb3c8' } },
        { name: '调整后预算', type: 'bar', data: x.byClass.map(function (c) { return Number(c.adjustedWan) }), itemStyle: { color: '#2f6fad' } },
        {
          name: '已支出', type: 'bar', data: x.byClass.map(function (c) { return Number(c.spentWan) }), itemStyle: { color: '#d9822b' },
          label: { show: true, position: 'top', formatter: function (p) { var c = x.byClass[p.dataIndex]; return c.rate == null || Number(c.spent) === 0 ? '' : '执行 ' + c.rate + '%' } },
        },
      ],
    }, true)
    var months = x.byMonth
    var budget = Number(x.totals.adjustedWan)
    var spentAny = months.some(function (m) { return Number(m.spent) !== 0 })
    byMonth.setOption({
      textStyle: { fontFamily: FONT },
      animationDuration: 300,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      graphic: spentAny ? [] : [{ type: 'text', left: 'center', top: 'middle', style: { text: '本年度尚无支出记录', fill: '#8a96a3', fontSize: 14, fontFamily: FONT } }],
      xAxis: { type: 'category', data: months.map(function (m) { return m.month.slice(0, 4) === String(x.year) ? Number(m.month.slice(5)) + '月' : m.month }) },
      yAxis: [
        { type: 'value', name: '万元', minInterval: 1 },
        { type: 'value', name: '执行率', min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10) }, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
      ],
      series: [
        { name: '当月支出', type: 'bar', data: months.map(function (m) { return Number(m.spentWan) }), itemStyle: { color: '#d9822b' }, tooltip: { valueFormatter: function (v) { return money(v) + ' 万元' } } },
        { name: '累计支出', type: 'line', data: months.map(function (m) { return Number(m.cumulativeWan) }), itemStyle: { color: '#2f6fad' }, symbolSize: 6, tooltip: { valueFormatter: function (v) { return money(v) + ' 万元' } } },
        {
          name: '累计执行率', type: 'line', yAxisIndex: 1, itemStyle: { color: '#1e7d3a' }, lineStyle: { type: 'dashed' }, symbolSize: 4,
          // For the chart only: the exact rate of the year is the 预算执行率 indicator above.
          data: months.map(function (m) { return budget > 0 ? Math.round((Number(m.cumulativeWan) / budget) * 10000) / 100 : null }),
          tooltip: { valueFormatter: function (v) { return v == null ? '—' : Number(v).toFixed(2) + '%' } },
        },
      ],
    }, true)
  }

  // ---------------------------------------------------------------------------------------------
  // The official tables.

  var NUMBER = /^-?\d+\.\d{2}%?$/
  var TOTAL = /(合计|总计|共计)：?$/
  var NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一']

  function renderTabs() {
    var nav = $('tabs')
    nav.textContent = ''
    state.tables.forEach(function (t) {
      var b = el('button', { type: 'button', 'data-table': String(t.number), className: String(t.number) === String(state.table) ? 'tab active' : 'tab' }, [
        el('span', { className: 'tab-no', text: '表' + (NUMERALS[t.number] || t.number) }), ' ', t.title,
      ])
      b.addEventListener('click', function () {
        state.table = String(t.number)
        localStorage.setItem(TABLE_KEY, state.table)
        writeFragment()
        renderTabs()
        loadTable().catch(report)
      })
      nav.appendChild(b)
    })
  }

  function renderTable(t) {
    var box = $('table')
    box.textContent = ''
    box.dataset.table = String(t.number)
    box.appendChild(el('div', { className: 'official-title', text: t.title }))
    box.appendChild(el('div', { className: 'official-sub' }, [
      el('span', { text: '部门名称：' + t.unitName + '（' + t.unitCode + '）' }),
      el('span', { text: t.year + ' 年度' + (state.asOf ? ' · 历史时点 ' + describeAsOf(state.asOf) : '') }),
      el('span', { text: '单位：万元' }),
    ]))
    ;(t.sections || []).forEach(function (s) {
      var block = el('div', { className: 'section' }, [el('h3', { text: s.title })])
      var list = el('table', { className: 'section-table' })
      s.rows.forEach(function (r) { list.appendChild(el('tr', null, r.map(function (c) { return el('td', { text: c }) }))) })
      block.appendChild(list)
      box.appendChild(block)
    })
    if (t.summary && t.summary.length) {
      var sum = el('table', { className: 'summary-table' })
      t.summary.forEach(function (p) { sum.appendChild(el('tr', null, [el('th', { text: p[0] }), el('td', { className: 'num', text: p[1] })])) })
      box.appendChild(sum)
    }

    var scroll = el('div', { className: 'grid-scroll' })
    var grid = el('table', { className: 'grid' })
    var thead = el('thead')
    var header = window.HeaderLayout ? window.HeaderLayout.headerRows(t.id, t.columns) : [t.columns.map(function (c, i) { return { label: c, col: i, colSpan: 1, rowSpan: 1 } })]
    header.forEach(function (cells) {
      var tr = el('tr')
      cells.forEach(function (h) {
        var th = el('th', { scope: 'col', text: h.label })
        if (h.colSpan > 1) th.colSpan = h.colSpan
        if (h.rowSpan > 1) th.rowSpan = h.rowSpan
        tr.appendChild(th)
      })
      thead.appendChild(tr)
    })
    grid.appendChild(thead)
    // A column is numeric when every filled cell in it is a figure: then it is right-aligned.
    var numeric = t.columns.map(function (_, c) {
      var filled = t.rows.map(function (r) { return (r[c] || '').trim() }).filter(function (v) { return v !== '' })
      return filled.length > 0 && filled.every(function (v) { return NUMBER.test(v) })
    })
    var tbody = el('tbody')
    t.rows.forEach(function (row) {
      // A figure not known is null in the JSON: a blank cell, never 0.
      var r = row.map(function (c) { return c == null ? '' : c })
      var filled = r.filter(function (c) { return c.trim() !== '' }).length
      var total = r.some(function (c, i) { return !numeric[i] && TOTAL.test(c.trim()) })
      var tr = el('tr', { className: (total ? 'total' : '') + (filled === 1 && r.length > 2 ? ' group' : '') })
      r.forEach(function (c, i) {
        var bare = c.replace(/^ +/, '')
        var depth = Math.floor((c.length - bare.length) / 2)
        // Short labels stay on one line (the grid scrolls sideways); long text wraps.
        var td = el('td', { className: numeric[i] || NUMBER.test(bare) ? 'num' : bare.length <= 16 ? 'text nowrap' : 'text', text: bare })
        if (depth) td.style.paddingLeft = 0.5 + depth * 1.2 + 'em'
        tr.appendChild(td)
      })
      tbody.appendChild(tr)
    })
    grid.appendChild(tbody)
    scroll.appendChild(grid)
    box.appendChild(scroll)
    ;(t.notes || []).forEach(function (n) { box.appendChild(el('p', { className: 'note', text: '注：' + n })) })
  }

  /** Reads the chosen table; resolves with the revision it was built from (null for an as-of read). */
  async function fetchTable() {
    var r = await api(withAsOf(yearPath() + '/tables/' + encodeURIComponent(state.table)))
    var m = /^"(\d+)"$/.exec(r.etag || '')
    return { body: r.body, revision: m ? Number(m[1]) : null }
  }

  async function loadTable() {
    renderTable((await fetchTable()).body)
  }

  // ---------------------------------------------------------------------------------------------
  // Loading what the page shows; one refresh at a time, the last request wins.

  async function refresh() {
    if (state.refreshing) { state.again = true; return state.refreshing }
    state.refreshing = (async function () {
      try {
        // Again while a change arrived meanwhile (bounded: a failing read must not loop).
        for (var round = 0; round < 3; round++) {
          state.again = false
          await refreshOnce()
          var behind = !state.asOf && state.latest != null && state.revision != null && state.latest > state.revision
          if (!state.again && !behind) break
        }
      } finally {
        state.refreshing = null
      }
    })()
    return state.refreshing
  }

  function isNoRoute(err) {
    return err && err.status === 404 && err.body && /^no route/.test(err.body.detail || '')
  }

  /** Empties what the page shows (a moment before the year existed). */
  function clearContent() {
    $('indicators').textContent = ''
    $('table').textContent = ''
    Object.keys(state.charts).forEach(function (k) { state.charts[k].clear() })
  }

  async function refreshOnce() {
    document.body.dataset.state = 'loading'
    if (!state.tables.length) {
      state.tables = (await api(yearPath() + '/tables')).body
      renderTabs()
    }
    var results = await Promise.allSettled([api(withAsOf(yearPath() + '/execution')), api(withAsOf(yearPath() + '/indicators')), fetchTable()])
    var x = results[0]
    var ind = results[1]
    var tab = results[2]

    if (state.asOf && x.status === 'rejected' && x.reason.status === 404) {
      clearContent()
      state.revision = null
      showContext()
      showMessage('在所选时点（' + describeAsOf(state.asOf) + '）账本中还没有这个预算年度：请选择更晚的时点，或点“回到当前”。', 'info')
      document.body.dataset.state = 'ready'
      return
    }

    var errors = []
    // The revision shown is the oldest any part was read at, so a change that landed between the
    // reads makes the page read again (see refresh).
    var revisions = []
    if (x.status === 'fulfilled') {
      revisions.push(x.value.body.revision)
      renderCharts(x.value.body)
    } else errors.push('图表：' + x.reason.message)

    if (ind.status === 'fulfilled') {
      var indicators = ind.value.body
      if (state.asOf && x.status === 'fulfilled' && indicators.revision !== x.value.body.revision) {
        // The server answered with the indicators of another moment (it does not take asOf there).
        $('indicators').textContent = '绩效指标暂不能按历史时点查询（服务器返回的是修订号 ' + indicators.revision + ' 的当前数据），为免误读不予显示；点“回到当前”查看。'
      } else {
        if (typeof indicators.revision === 'number') revisions.push(indicators.revision)
        renderIndicators(indicators)
      }
    } else if (isNoRoute(ind.reason)) {
      $('indicators').textContent = '本服务器尚未提供绩效指标接口（GET …/indicators），其余内容不受影响。'
    } else errors.push('绩效指标：' + ind.reason.message)

    if (tab.status === 'fulfilled') {
      renderTable(tab.value.body)
      if (tab.value.revision !== null) revisions.push(tab.value.revision)
    } else errors.push('预算表：' + tab.reason.message)

    if (revisions.length) state.revision = Math.min.apply(null, revisions)
    showContext()
    showConnected()
    showMessage(errors.join('\n'))
    document.body.dataset.state = 'ready'
  }

  function report(err) {
    showMessage(err && err.message ? err.message : '无法连接服务器，请检查网络或服务器是否在运行。')
    document.body.dataset.state = 'error'
  }

  // ---------------------------------------------------------------------------------------------
  // Live: the server-sent events of the unit-year, read with fetch() (the token goes in a header).

  function stopLive() {
    state.liveOn = false
    if (state.live) state.live.abort()
    state.live = null
  }

  function startLive() {
    stopLive()
    var controller = new AbortController()
    state.live = controller
    var delay = 1000
    var run = async function () {
      while (!controller.signal.aborted) {
        try {
          setLive('connecting', '○ 正在连接实时更新…')
          var res = await fetch(yearPath() + '/live', { headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store' })
          if (res.status === 401) { askToken('令牌无效或已被撤销，请重新输入看板令牌。'); return }
          if (!res.ok || !res.body) throw new Error('live ' + res.status)
          state.liveOn = true
          showConnected()
          delay = 1000
          await readEvents(res.body, controller.signal)
        } catch (e) {
          if (controller.signal.aborted) return
        }
        state.liveOn = false
        setLive('off', '○ 实时更新已断开，正在重连…')
        await new Promise(function (r) { setTimeout(r, delay) })
        delay = Math.min(delay * 2, 15000)
      }
    }
    run()
  }

  async function readEvents(body, signal) {
    var reader = body.getReader()
    var decoder = new TextDecoder()
    var buffer = ''
    while (!signal.aborted) {
      var chunk = await reader.read()
      if (chunk.done) return
      buffer += decoder.decode(chunk.value, { stream: true })
      var parts = buffer.split(/\r?\n\r?\n/)
      buffer = parts.pop()
      parts.forEach(function (block) {
        var event = 'message'
        var data = []
        block.split(/\r?\n/).forEach(function (line) {
          if (line.startsWith(':')) return
          var i = line.indexOf(':')
          var field = i < 0 ? line : line.slice(0, i)
          var value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '')
          if (field === 'event') event = value
          else if (field === 'data') data.push(value)
        })
        if (event === 'revision' && data.length) onRevision(JSON.parse(data.join('\n')))
      })
    }
  }

  function onRevision(msg) {
    if (msg.unit !== state.unit || msg.year !== state.year) return
    if (state.asOf) {
      // A past moment does not change; say that the ledger has moved on.
      state.latest = msg.revision
      showConnected()
      return
    }
    state.latest = msg.revision
    // A refresh under way checks `latest` when it ends and goes again if it read older figures.
    if (!state.refreshing && msg.revision !== state.revision) refresh().catch(report)
  }

  // ---------------------------------------------------------------------------------------------
  // Downloads: fetched with the token, saved under the server's file name.

  async function download(path, fallback) {
    try {
      var res = await fetch(withAsOf(path), { headers: { Authorization: 'Bearer ' + state.token } })
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(function () { return null }))
      var cd = res.headers.get('content-disposition') || ''
      var m = /filename\*=UTF-8''([^;]+)/i.exec(cd)
      var name = m ? decodeURIComponent(m[1]) : fallback
      var url = URL.createObjectURL(await res.blob())
      var a = el('a', { href: url, download: name })
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(function () { URL.revokeObjectURL(url) }, 10000)
    } catch (e) {
      report(e)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Unit and year.

  function fillSelectors() {
    var unit = $('unit')
    unit.textContent = ''
    state.units.forEach(function (u) { unit.appendChild(el('option', { value: u.unit, text: u.unit + ' ' + (u.name || '') })) })
    unit.value = state.unit
    var year = $('year')
    year.textContent = ''
    var u = state.units.find(function (x) { return x.unit === state.unit })
    ;(u ? u.years : []).forEach(function (y) { year.appendChild(el('option', { value: String(y), text: y + ' 年' })) })
    year.value = String(state.year)
  }

  function chooseDefaults() {
    var u = state.units.find(function (x) { return x.unit === state.unit }) || state.units[0]
    if (!u) return false
    state.unit = u.unit
    if (u.years.indexOf(state.year) < 0) state.year = u.years[u.years.length - 1]
    return true
  }

  async function openYear() {
    state.tables = []
    state.revision = null
    state.latest = null
    writeFragment()
    fillSelectors()
    showContext()
    startLive()
    await refresh()
  }

  async function start() {
    $('token-panel').hidden = true
    $('main').hidden = false
    showMessage('')
    try {
      var read = await Promise.all([api('/api/units'), api('/api/time-zone')])
      state.units = read[0].body
      state.zone = read[1].body.timeZone
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) report(e)
      return
    }
    if (!chooseDefaults()) {
      showMessage('账本中还没有预算年度：请先导入预算文件（budget-ledger import FILE）。', 'info')
      return
    }
    $('asof-zone').textContent = '（' + (ZONE_NAMES[state.zone] || state.zone + ' 时间') + '）'
    $('asof').title = '按' + zoneLabel(zoneClock(Date.now()).offset) + '填写'
    if (state.asOf) $('asof').value = asOfInput(state.asOf)
    await openYear().catch(report)
  }

  function wire() {
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault()
      var t = $('token-input').value.trim()
      if (!t) return
      localStorage.setItem(TOKEN_KEY, t)
      state.token = t
      $('token-input').value = ''
      start()
    })
    $('token-change').addEventListener('click', function () { askToken('请输入新的看板令牌。') })
    $('unit').addEventListener('change', function () {
      state.unit = $('unit').value
      state.year = null
      chooseDefaults()
      openYear().catch(report)
    })
    $('year').addEventListener('change', function () {
      state.year = Number($('year').value)
      openYear().catch(report)
    })
    var applyAsOf = function () {
      // Sent as written: the server reads a date-time without an offset in the ledger's zone.
      var v = $('asof').value
      state.asOf = v ? asOfInput(v) : null
      writeFragment()
      showContext()
      showConnected()
      refresh().catch(report)
    }
    $('asof-apply').addEventListener('click', applyAsOf)
    $('asof').addEventListener('keydown', function (e) { if (e.key === 'Enter') applyAsOf() })
    $('asof-now').addEventListener('click', function () {
      $('asof').value = ''
      applyAsOf()
    })
    $('dl-csv').addEventListener('click', function () { download(yearPath() + '/tables/' + state.table + '.csv', 'table-' + state.table + '.csv') })
    $('dl-xlsx').addEventListener('click', function () { download(yearPath() + '/tables/' + state.table + '.xlsx', 'table-' + state.table + '.xlsx') })
    $('dl-all').addEventListener('click', function () { download(yearPath() + '/workbook.xlsx', 'budget.xlsx') })
    window.addEventListener('resize', function () { Object.keys(state.charts).forEach(function (k) { state.charts[k].resize() }) })
  }

  readFragment()
  wire()
  if (state.token) start()
  else askToken('')
})()
