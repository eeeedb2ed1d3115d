#!lua flags=allow-oom
-- migrate: move n task keys of one queue from data model v1 (one hash per task) to v2 (one hash per field), each
-- key as a whole; idempotent, so a rerun after a crash finds the moved keys gone and moves the rest.
-- allow-oom: it adds no work and frees a key's overhead per task, so it must run on a Redis at maxmemory too.
-- KEYS[1] tasks (id -> data)  KEYS[2] attempts (id -> attempt)  KEYS[3] failures (id -> failure JSON)
-- KEYS[4] dumps (id -> DUMP output)  KEYS[4+i] the v1 key dq:{q}:task:<id_i>, i = 1..n
-- ARGV[i] id_i, i = 1..n;  ARGV[n+1] '1' = dry run (count what would happen, change nothing), else ''
-- Per key: a hash becomes tasks[id] = its data ('' without one: v2 workers dead-letter it as undecodable), plus
--   attempts[id], failures[id], dumps[id] for the fields it has; a string becomes tasks[id] = its value; then the
--   key is deleted. If tasks[id] is already there (a v1 key and a v2 entry for one id cannot both be live), the v1
--   key is deleted and counted as a conflict. A key of another type is left alone and reported; a missing key
--   (moved by an earlier run) counts nowhere.
-- Replies: {moved, conflicts, skipped, skipped_id1, ...}
local n = #ARGV - 1
local dry = ARGV[n + 1] == '1'
local moved, conflicts, skipped = 0, 0, {}
for i = 1, n do
  local key, id = KEYS[4 + i], ARGV[i]
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'hash' or kind == 'string' then
    if redis.call('HEXISTS', KEYS[1], id) == 1 then
      conflicts = conflicts + 1
    else
      moved = moved + 1
      if not dry then
        if kind == 'string' then
          redis.call('HSET', KEYS[1], id, redis.call('GET', key))
        else
          local f = redis.call('HMGET', key, 'data', 'attempt', 'failure', 'dump')
          redis.call('HSET', KEYS[1], id, f[1] or '')
          if f[2] then redis.call('HSET', KEYS[2], id, f[2]) end
          if f[3] then redis.call('HSET', KEYS[3], id, f[3]) end
          if f[4] then redis.call('HSET', KEYS[4], id, f[4]) end
        end
      end
    end
    if not dry then redis.call('DEL', key) end
  elseif kind ~= 'none' then
    skipped[#skipped + 1] = id
  end
end
local reply = {moved, conflicts, #skipped}
for _, id in ipairs(skipped) do reply[#reply + 1] = id end
return reply
