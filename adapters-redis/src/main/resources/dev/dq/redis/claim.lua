#!lua
-- claim: promote due delayed tasks, then lease up to n ready tasks, highest priority level first and oldest first within
-- a level, and return their data. Never blocks.
-- KEYS[1] ready  KEYS[2] delayed  KEYS[3] active (zset id -> lease expiry ms)
-- KEYS[4] leases (hash id -> fencing token)  KEYS[5] token-seq (counter)  KEYS[6] notify (wake-up list)
-- KEYS[7] tasks (hash id -> data)  KEYS[8] attempts (hash id -> attempt)  KEYS[9] dead (zset id -> sequence)
-- KEYS[10] dead-seq (counter)  KEYS[11] failures (hash id -> failure JSON)
-- KEYS[12] claim:<nonce> (this call's leases, kept for one lease time; the nonce is unique per call)
-- KEYS[13] .. limits: the keys of global rate and concurrency limits, listed in _limits.lua
-- KEYS[ARGV[8] .. ARGV[8] + 11] the priority levels' block (_levels.lua): levels, priorities, then the ready lists of
--   levels 0..9 (KEYS[ARGV[8] + 2 + 5] is KEYS[1] again)
-- KEYS[ARGV[9] - 2] errors, KEYS[ARGV[9] - 1] cancelled (hashes by id; a buried id loses its entries there)
-- KEYS[ARGV[9]] started (hash id -> "<ms>|<worker>" of the current delivery; just before paused)
-- KEYS[ARGV[6] - 1] paused (the queue's pause, see pause.lua; the last key before the kept replies): while it holds,
--   the claim hands out nothing
-- KEYS[ARGV[6] ..] claim:<nonce> keys of earlier calls whose replies their caller has: deleted (the keys between
--   KEYS[12] and them belong to features that extend the claim: each documents its own)
-- ARGV[1] lease ms  ARGV[2] most delayed tasks to promote  ARGV[3] n, most tasks to lease
-- ARGV[4] largest acceptable data in bytes  ARGV[5] now ms override ('' = Redis TIME; test hook)
-- ARGV[6] index in KEYS of the first kept reply to delete
-- ARGV[7] limits that apply to this queue ('' = none; see _limits.lua)  ARGV[8] index in KEYS of the levels' block
-- ARGV[9] index in KEYS of started  ARGV[10] the claiming process's identity (e.g. host:pid), kept in started
-- Replies: {'OK', expiry ms, {id1, token1, data1, attempt1 or nil, id2, ...}, {dead id1, reason1, ...}}
--        | {'EMPTY', ms until the next delayed task is due, or -1}
--        | {'LIMITED', ms until the next opening or -1, 'rate' | 'concurrency'} (work waits, a limit holds it back)
--        | {'PAUSED', ms until the pause ends, or -1 while it lasts until resumed}: nothing promoted, nothing taken
-- An id whose data is missing, empty or larger than ARGV[4] is dead-lettered here (failure error_type
-- 'dq.undecodable'), so a huge value never travels to the worker; the others are leased. 'OK' with no lease at all
-- means every id taken was dead-lettered: the caller claims again.
-- Idempotent: a retry of the same call (same nonce) after a lost reply gets the same leases again, with their data,
-- so none is stranded in active under a token nobody holds.
-- A constant number of commands per call, whatever n: one LPOP per level taken from (one ZRANGE of the levels in use
-- first), one INCRBY, HMGET, ZADD, and two HSET (leases, started) for the whole batch. A promotion adds one HMGET of
-- the levels of the due ids and one RPUSH per level among them.
-- Uses server_now (_now.lua), the level functions (_levels.lua) and limits_* (_limits.lua), which Script.java puts in
-- front of this text.
local limit = tonumber(ARGV[4])
local LEVELS = tonumber(ARGV[8]) -- the first key of the levels' block

local function with_data(ids, tokens, expiry)
  local out = {}
  if #ids == 0 then return out end
  local datas = redis.call('HMGET', KEYS[7], unpack(ids))
  local attempts = redis.call('HMGET', KEYS[8], unpack(ids))
  for i = 1, #ids do
    out[#out + 1] = ids[i]
    out[#out + 1] = tokens[i]
    out[#out + 1] = datas[i]
    out[#out + 1] = attempts[i]
  end
  return out
end

local kept = redis.call('GET', KEYS[12])
if kept then
  local k = cmsgpack.unpack(kept)
  return {'OK', k[1], with_data(k[2], k[3]), {}}
end
for i = tonumber(ARGV[6]), #KEYS do redis.call('DEL', KEYS[i]) end
local now = server_now(ARGV[5])

-- A paused queue hands out nothing, whatever made a task ready; checked before delayed tasks are promoted.
local pause = redis.call('GET', KEYS[tonumber(ARGV[6]) - 1])
if pause then
  local untl = cjson.decode(pause)['until']
  if not untl then return {'PAUSED', -1} end
  untl = tonumber(untl)
  if untl > now then return {'PAUSED', untl - now} end
end

local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
if #due > 0 then
  redis.call('ZREM', KEYS[2], unpack(due))
  push_ready(LEVELS, due, levels_of(LEVELS, due), false) -- each to the tail of its own level
end

-- Up to count ready ids, the highest level first, FIFO within a level, or false when none is ready; a level whose
-- list gives fewer ids than asked is empty now and leaves `levels`.
local function pop_ready(count)
  local popped = false
  for _, p in ipairs(levels_desc(LEVELS)) do
    local want = count - (popped and #popped or 0)
    local got = redis.call('LPOP', level_list(LEVELS, p), want)
    if got and not popped then
      popped = got
    elseif got then
      for _, id in ipairs(got) do popped[#popped + 1] = id end
    end
    if p ~= 5 and (not got or #got < want) then redis.call('ZREM', KEYS[LEVELS], p) end
    if popped and #popped == count then break end
  end
  return popped
end

local popped
-- limits: begin (global rate and concurrency limits, _limits.lua; no limit = one EXISTS)
local limited = limits_wanted()
if limited then
  local held
  popped, held = limits_take(now, tonumber(ARGV[3]), pop_ready)
  if held then return held end
else
  popped = pop_ready(tonumber(ARGV[3]))
end
-- limits: end
popped = popped or {}
-- Promoted tasks this claim does not take get a wake-up each, so that idle workers come for them now.
local leftover = math.min(#due - #popped, 64)
if leftover > 0 then
  local wakeups = {}
  for i = 1, leftover do wakeups[i] = '1' end
  redis.call('RPUSH', KEYS[6], unpack(wakeups))
  redis.call('LTRIM', KEYS[6], -64, -1)
end
if #popped == 0 then
  local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #nxt == 0 then return {'EMPTY', -1} end
  return {'EMPTY', math.max(0, tonumber(nxt[2]) - now)}
end

local datas = redis.call('HMGET', KEYS[7], unpack(popped))
local attempts = redis.call('HMGET', KEYS[8], unpack(popped))
local ids, tokens, leased, dead, failures, buried = {}, {}, {}, {}, {}, {}
local reason
for i, id in ipairs(popped) do
  local data = datas[i]
  if not data or data == '' then
    reason = 'no task data for this id'
  elseif #data > limit then
    reason = 'data of ' .. #data .. ' bytes exceeds the limit of ' .. limit .. ' bytes'
  else
    reason = nil
  end
  if reason then
    if not data then redis.call('HSET', KEYS[7], id, '') end -- so the dead-letter queue can list it
    failures[#failures + 1] = id
    failures[#failures + 1] = cjson.encode({error_type = 'dq.undecodable', message = reason,
      attempts = tonumber(attempts[i]) or 1, failed_at_ms = now})
    buried[#buried + 1] = id
    dead[#dead + 1] = id
    dead[#dead + 1] = reason
  else
    ids[#ids + 1] = id
    leased[#leased + 1] = data
    leased[#leased + 1] = attempts[i]
  end
end
if #buried > 0 then
  redis.call('HSET', KEYS[11], unpack(failures))
  local seq = redis.call('INCRBY', KEYS[10], #buried) - #buried
  local scored = {}
  for i, id in ipairs(buried) do
    scored[#scored + 1] = seq + i
    scored[#scored + 1] = id
  end
  redis.call('ZADD', KEYS[9], unpack(scored))
  -- it ended: nothing of a delivery, a retry's error or a cancel request stays with it
  local at = tonumber(ARGV[9])
  redis.call('HDEL', KEYS[at - 2], unpack(buried))
  redis.call('HDEL', KEYS[at - 1], unpack(buried))
  redis.call('HDEL', KEYS[at], unpack(buried))
end
if #ids == 0 then return {'OK', 0, {}, dead} end

-- Tokens are unique per queue for as long as its keys live: a new counter starts at now * 1000 rather than 1, so a
-- queue deleted and created again never repeats a token that an ack of the old one is remembered by (see ack-batch).
local last = redis.call('INCRBY', KEYS[5], #ids)
if last == #ids then
  last = now * 1000 + #ids
  redis.call('SET', KEYS[5], last)
end
local expiry = now + tonumber(ARGV[1])
local scores, fields, reply, started = {}, {}, {}, {}
local stamp = now .. '|' .. ARGV[10]
for i, id in ipairs(ids) do
  local token = last - #ids + i
  tokens[i] = token
  scores[#scores + 1] = expiry
  scores[#scores + 1] = id
  fields[#fields + 1] = id
  fields[#fields + 1] = token
  started[#started + 1] = id
  started[#started + 1] = stamp
  reply[#reply + 1] = id
  reply[#reply + 1] = token
  reply[#reply + 1] = leased[2 * i - 1]
  reply[#reply + 1] = leased[2 * i]
end
redis.call('ZADD', KEYS[3], unpack(scores))
redis.call('HSET', KEYS[4], unpack(fields))
redis.call('HSET', KEYS[tonumber(ARGV[9])], unpack(started))
redis.call('SET', KEYS[12], cmsgpack.pack({expiry, ids, tokens}), 'PX', tonumber(ARGV[1]))
if limited then limits_commit(ids, tokens) end -- limits: charge what was leased
return {'OK', expiry, reply, dead}
