-- _waiting: a fragment, not a script. Script.java puts it, after _levels.lua, into the scripts that take one waiting
-- task out of line wherever it waits (cancel, delete).
-- take_waiting(levels, delayed, parked, id, data): takes id out of `delayed`, else out of the ready list of its level,
-- else out of the parked list of its type (held back by a type limit); levels is the first key of the levels' block,
-- parked the limit:parked key (its lists are named parked .. ':' .. type, same slot), data the task's JSON. The ready
-- and parked lists cost one LREM, O(length of that list); `delayed` one ZREM. Returns whether it was found.
local function take_waiting(levels, delayed, parked, id, data)
  if redis.call('ZREM', delayed, id) == 1 then return true end
  local p = levels_of(levels, {id})[1]
  if redis.call('LREM', level_list(levels, p), 0, id) > 0 then return true end
  local ty = string.match(data, '"type"%s*:%s*"([^"]*)"')
  local list = ty and (parked .. ':' .. ty)
  if list and redis.call('LREM', list, 0, id) > 0 then
    if redis.call('LLEN', list) == 0 then redis.call('SREM', parked, ty) end
    return true
  end
  return false
end
