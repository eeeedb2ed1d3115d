-- Priority levels 0..9, higher first; 5 is the default (docs/redis-data-model.md, "Priorities"). The ready ids of
-- level p wait in their own list, FIFO; level 5's list is `ready` itself. A script that uses these functions gets a
-- block of 12 KEYS from index b: KEYS[b] levels (zset: the levels other than 5 whose list may hold ids, score = level),
-- KEYS[b + 1] priorities (hash id -> level, only for held tasks of a level other than 5), KEYS[b + 2 + p] the ready
-- list of level p, p = 0..9. Every push to a list of a level other than 5 adds that level to `levels`, so a queue of
-- default tasks costs one ZRANGE of an empty key per claim; a level whose list turns out empty leaves `levels`.
local function level_list(b, p)
  return KEYS[b + 2 + p]
end

-- The levels in use, highest first, 5 always among them: one ZRANGE.
local function levels_desc(b)
  local used = redis.call('ZRANGE', KEYS[b], 0, -1)
  local out = {}
  for i = #used, 1, -1 do
    local p = tonumber(used[i])
    if p > 5 then out[#out + 1] = p end
  end
  out[#out + 1] = 5
  for i = #used, 1, -1 do
    local p = tonumber(used[i])
    if p < 5 then out[#out + 1] = p end
  end
  return out
end

-- How many ids wait in the ready lists of every level: one ZRANGE and one LLEN per level in use.
local function ready_count(b)
  local n = 0
  for _, p in ipairs(levels_desc(b)) do n = n + redis.call('LLEN', level_list(b, p)) end
  return n
end

-- The level of each of ids (5 where none is recorded): one HMGET per 1000 ids.
local function levels_of(b, ids)
  local out = {}
  for from = 1, #ids, 1000 do
    local to = math.min(#ids, from + 999)
    local got = redis.call('HMGET', KEYS[b + 1], unpack(ids, from, to))
    for i = from, to do out[i] = tonumber(got[i - from + 1]) or 5 end
  end
  return out
end

-- Pushes ids to the tail (or, with head, the head) of the lists of their levels, keeping their order within a level:
-- one RPUSH (LPUSH) per level present, in chunks of 1000 (Lua's unpack has a stack limit), and one ZADD to `levels`
-- when a level other than 5 is among them.
local function push_ready(b, ids, levels, head)
  local groups, order = {}, {}
  for i, id in ipairs(ids) do
    local p = levels[i]
    if not groups[p] then groups[p] = {}; order[#order + 1] = p end
    local g = groups[p]
    g[#g + 1] = id
  end
  local used = {}
  for _, p in ipairs(order) do
    local g = groups[p]
    if head then
      for i = 1, math.floor(#g / 2) do g[i], g[#g - i + 1] = g[#g - i + 1], g[i] end -- LPUSH reverses them back
    end
    for from = 1, #g, 1000 do
      redis.call(head and 'LPUSH' or 'RPUSH', level_list(b, p), unpack(g, from, math.min(#g, from + 999)))
    end
    if p ~= 5 then used[#used + 1] = p; used[#used + 1] = p end
  end
  if #used > 0 then redis.call('ZADD', KEYS[b], unpack(used)) end
end

-- Records the levels of newly held tasks (nothing for level 5, the default): one HSET per 500 such tasks, none if all
-- are of level 5.
local function record_levels(b, ids, levels)
  local fields = {}
  for i, id in ipairs(ids) do
    if levels[i] ~= 5 then
      fields[#fields + 1] = id
      fields[#fields + 1] = levels[i]
      if #fields == 1000 then redis.call('HSET', KEYS[b + 1], unpack(fields)); fields = {} end
    end
  end
  if #fields > 0 then redis.call('HSET', KEYS[b + 1], unpack(fields)) end
end
