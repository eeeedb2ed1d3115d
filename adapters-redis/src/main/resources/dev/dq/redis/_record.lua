-- _record: a fragment, not a script. Script.java puts it after the shebang line of each script that ends a task.
-- finished_record(head, started, now, tail): the JSON kept in records for a task that finished (see
-- docs/redis-data-model.md): {"state":..,"type":..,"attempt":N,"priority":P (if not 5),"created_at_ms":..,
-- "started_at_ms":.. (if it ran),"worker":".." (if known),"finished_at_ms":..,"result_b64":".." (if any)}.
-- The caller builds head ('{"state":..' up to "created_at_ms":..) and tail (',"result_b64":".."}' or '}') from the
-- task it holds, so the script never reads nor decodes the task's JSON; this adds what only the server knows:
-- started (the task's "<ms>|<worker>" from the started hash, or false) and now.
local function finished_record(head, started, now, tail)
  local mid = ''
  if started then
    local ms, worker = string.match(started, '^(%d+)|(.*)$')
    if ms then
      mid = ',"started_at_ms":' .. ms
      if worker ~= '' then
        if not string.find(worker, '^[%w%.%-_:/@]+$') then worker = string.sub(cjson.encode(worker), 2, -2) end
        mid = mid .. ',"worker":"' .. worker .. '"'
      end
    end
  end
  return head .. mid .. ',"finished_at_ms":' .. now .. tail
end
