-- _limits: a fragment, not a script. Script.java puts it into claim.lua, which calls limits_wanted, limits_take and
-- limits_commit from one delimited block (global rate and concurrency limits, see Limits and RedisLimits).
-- Keys (all in the queue's slot): KEYS[13] limit:parked (set of type names that have a parked list)
--   KEYS[14] limit:rate (the queue's GCRA theoretical arrival time, ms)
--   then for the i-th type limit of ARGV[7]: KEYS[12 + 3i] limit:type:<T>:rate, KEYS[13 + 3i] limit:type:<T>:leases
--   (hash id -> token of the leases taken under it), KEYS[14 + 3i] limit:parked:<T> (list, held-back ids in order)
-- ARGV[8] the first key of the priority levels' block (_levels.lua, put in front of this fragment)
-- ARGV[7] '' when no limit can apply to this queue, else JSON {"q": [interval ms, tolerance ms, concurrency] or absent,
--   "t": [[type, interval ms, tolerance ms, concurrency], ...]}; interval 0 = no rate, concurrency 0 = none.
-- A parked list of a type no longer in ARGV[7] (its limit was removed) is served first like an open one; its key is
-- built from KEYS[13]'s name (same hash tag, so the same slot).
local limits_st = nil

local function limits_wanted()
  return ARGV[7] ~= '' or redis.call('EXISTS', KEYS[13]) == 1
end

-- How many starts a GCRA rate allows now: count (math.huge without a rate), the base arrival time, the wait if none.
local function limits_gcra(key, interval, tolerance, now)
  if interval <= 0 then return math.huge, 0, -1 end
  local base = math.max(tonumber(redis.call('GET', key) or '0') or 0, now)
  local ahead = base - now
  if ahead > tolerance then return 0, base, math.ceil(ahead - tolerance) end
  return math.floor((tolerance - ahead) / interval) + 1, base, -1
end

local function limits_gcra_commit(key, base, interval, tolerance, spent, now)
  if interval <= 0 or spent == 0 then return end
  local tat = base + spent * interval
  redis.call('SET', key, string.format('%.3f', tat), 'PX', math.ceil(tat - now + tolerance) + 1000)
end

-- Leases still running under a type's concurrency limit (same token, unexpired); forgets the others.
local function limits_running(key, now)
  local all = redis.call('HGETALL', key)
  if #all == 0 then return 0, nil end
  local ids, tokens = {}, {}
  for i = 1, #all, 2 do
    ids[#ids + 1] = all[i]
    tokens[#tokens + 1] = all[i + 1]
  end
  local expiries = redis.call('ZMSCORE', KEYS[3], unpack(ids))
  local current = redis.call('HMGET', KEYS[4], unpack(ids))
  local n, earliest, gone = 0, nil, {}
  for i, id in ipairs(ids) do
    local e = tonumber(expiries[i])
    if e and e > now and current[i] == tokens[i] then
      n = n + 1
      if not earliest or e < earliest then earliest = e end
    else
      gone[#gone + 1] = id
    end
  end
  if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
  return n, earliest
end

-- A closed limit: keeps the one whose opening comes first (-1: unknown, waits for a wake-up or the block timeout).
local function limits_close(st, reason, wait)
  if st.reason == nil or (wait >= 0 and (st.wait < 0 or wait > st.wait)) then
    st.reason, st.wait = reason, wait
  end
end

-- Takes up to n ids the limits admit now, oldest first: parked ids of open types first, then the head of ready
-- (through pop(count), which returns ids or false), parking ids of closed types. Returns ids (or false when there
-- is no work at all), and a {'LIMITED', ms until the next opening or -1, reason} reply when work waits but none is
-- admitted.
local function limits_take(now, n, pop)
  local spec = ARGV[7] ~= '' and cjson.decode(ARGV[7]) or {}
  local q = {left = n, wait = -1}
  limits_st = {q = q, types = {}, now = now}
  if spec.q then
    local interval, tolerance, conc = spec.q[1], spec.q[2], spec.q[3]
    if conc > 0 then
      local used = redis.call('ZCOUNT', KEYS[3], '(' .. now, '+inf')
      if used >= conc then
        local first = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
        q.left = 0
        limits_close(q, 'concurrency', #first > 0 and math.ceil(tonumber(first[2]) - now) or -1)
      else
        q.left = math.min(q.left, conc - used)
      end
    end
    local allowed, base, wait = limits_gcra(KEYS[14], interval, tolerance, now)
    q.rate = {KEYS[14], base, interval, tolerance}
    if allowed == 0 then
      q.left = 0
      limits_close(q, 'rate', wait)
    else
      q.left = math.min(q.left, allowed)
    end
  end
  if q.left == 0 then
    if ready_count(tonumber(ARGV[8])) > 0 or redis.call('EXISTS', KEYS[13]) == 1 then
      return false, {'LIMITED', q.wait, q.reason}
    end
    return false, nil
  end
  local types = limits_st.types
  for i, t in ipairs(spec.t or {}) do
    local st = {left = math.huge, wait = -1, spent = 0, leases = KEYS[13 + 3 * i], parked = KEYS[14 + 3 * i]}
    if t[4] > 0 then
      local running, earliest = limits_running(st.leases, now)
      if running >= t[4] then
        st.left = 0
        limits_close(st, 'concurrency', earliest and math.ceil(earliest - now) or -1)
      else
        st.left = t[4] - running
      end
      st.conc = true
    end
    local allowed, base, wait = limits_gcra(KEYS[12 + 3 * i], t[2], t[3], now)
    st.rate = {KEYS[12 + 3 * i], base, t[2], t[3]}
    if allowed == 0 then
      st.left = 0
      limits_close(st, 'rate', wait)
    else
      st.left = math.min(st.left, allowed)
    end
    types[t[1]] = st
  end
  local taken, of = {}, {}
  limits_st.of = of
  -- Parked ids first: they were ahead of everything still in ready.
  local prefix = string.sub(KEYS[13], 1, #KEYS[13] - #'parked') .. 'parked:'
  for _, name in ipairs(redis.call('SMEMBERS', KEYS[13])) do
    local st = types[name]
    local m = q.left - #taken
    if st then m = math.min(m, st.left) end
    if m > 0 then
      local key = st and st.parked or (prefix .. name)
      local got = redis.call('LPOP', key, m)
      if got then
        for _, id in ipairs(got) do
          taken[#taken + 1] = id
          of[id] = name
        end
        if st then st.left = st.left - #got end
      end
      if redis.call('LLEN', key) == 0 then redis.call('SREM', KEYS[13], name) end
    end
  end
  -- Then the head of ready, parking the ids of closed types (bounded scan per call).
  local scanned, most = 0, 4 * n + 100
  while #taken < q.left and scanned < most do
    local got = pop(math.min(q.left - #taken, most - scanned))
    if not got then break end
    scanned = scanned + #got
    local datas = redis.call('HMGET', KEYS[7], unpack(got))
    local park = {}
    for i, id in ipairs(got) do
      local ty = datas[i] and string.match(datas[i], '"type"%s*:%s*"([^"]*)"')
      local st = ty and types[ty]
      if st and st.left <= 0 then
        park[ty] = park[ty] or {}
        table.insert(park[ty], id)
      else
        taken[#taken + 1] = id
        if st then
          of[id] = ty
          st.left = st.left - 1
        end
      end
    end
    for ty, ids in pairs(park) do
      redis.call('RPUSH', types[ty].parked, unpack(ids))
      redis.call('SADD', KEYS[13], ty)
    end
  end
  if #taken > 0 then return taken, nil end
  local closed = nil
  for _, st in pairs(types) do
    if st.reason and (closed == nil or (st.wait >= 0 and (closed.wait < 0 or st.wait < closed.wait))) then
      closed = st
    end
  end
  if closed and redis.call('EXISTS', KEYS[13]) == 1 then
    return false, {'LIMITED', closed.wait, closed.reason}
  end
  return false, nil
end

-- Charges the leases actually handed out (ids, tokens): the rates' budgets and the types' running leases.
local function limits_commit(ids, tokens)
  local st = limits_st
  if not st then return end
  local now = st.now
  if st.q.rate then
    local r = st.q.rate
    limits_gcra_commit(r[1], r[2], r[3], r[4], #ids, now)
  end
  local fields = {}
  for i, id in ipairs(ids) do
    local name = st.of and st.of[id]
    local t = name and st.types[name]
    if t then
      t.spent = t.spent + 1
      if t.conc then
        fields[t.leases] = fields[t.leases] or {}
        table.insert(fields[t.leases], id)
        table.insert(fields[t.leases], tokens[i])
      end
    end
  end
  for key, f in pairs(fields) do redis.call('HSET', key, unpack(f)) end
  for _, t in pairs(st.types) do
    local r = t.rate
    limits_gcra_commit(r[1], r[2], r[3], r[4], t.spent, now)
  end
end
