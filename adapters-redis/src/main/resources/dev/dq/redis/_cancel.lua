-- _cancel: a fragment, not a script. Script.java puts it into the scripts that end a task as cancelled (cancel,
-- settle-cancelled, and reclaim, retry and release for a task marked in `cancelled`).
-- cancel_end(k, id, now, ran): records task id as cancelled in `records` (JSON, see docs/redis-data-model.md) and
-- `finished` (score now), then forgets it everywhere a held task may have a field or member: tasks, attempts,
-- priorities, leases, started, errors, cancelled, active, delayed. The ready and parked lists are the caller's: it
-- has taken the id out of them already. k names those keys: {tasks=, attempts=, priorities=, leases=, started=,
-- errors=, cancelled=, active=, delayed=, records=, finished=}, all of the queue's slot and all in the script's KEYS.
-- ran: the task's current attempt was (or is being) made; else the last attempt made is the one before it (0 for a
-- task cancelled before it ever ran).
-- forget_held(k, id): forgets task id everywhere a held task may have a field or member (the list above), leaving no
-- record; cancel_end uses it, and delete uses it for a task removed as if never enqueued.
local function forget_held(k, id)
  redis.call('ZREM', k.active, id)
  redis.call('ZREM', k.delayed, id)
  for _, key in ipairs({k.tasks, k.attempts, k.priorities, k.leases, k.started, k.errors, k.cancelled}) do
    redis.call('HDEL', key, id)
  end
end

local function cancel_end(k, id, now, ran)
  local data = redis.call('HGET', k.tasks, id)
  local task = {}
  if data and data ~= '' then
    local ok, decoded = pcall(cjson.decode, data)
    if ok and type(decoded) == 'table' then task = decoded end
  end
  local attempt = tonumber(redis.call('HGET', k.attempts, id)) or tonumber(task.attempt) or 1
  if not ran then attempt = attempt - 1 end
  local rec = {state = 'cancelled', type = task.type or '', attempt = attempt,
    created_at_ms = tonumber(task.created_at_ms) or 0, finished_at_ms = now}
  local p = tonumber(redis.call('HGET', k.priorities, id)) or tonumber(task.priority)
  if p and p ~= 5 then rec.priority = p end
  local started = redis.call('HGET', k.started, id)
  if started then
    local at, worker = string.match(started, '^(%d+)|(.*)$')
    if at then
      rec.started_at_ms = tonumber(at)
      if worker ~= '' then rec.worker = worker end
    end
  end
  redis.call('HSET', k.records, id, cjson.encode(rec))
  redis.call('ZADD', k.finished, now, id)
  forget_held(k, id)
end
