-- _record: a fragment, not a script. Script.java puts it after the shebang line of each script that ends a task.
-- finished_record(state, data, attempt, started, now, result_b64): the JSON kept in records for a task that finished
-- (see docs/redis-data-model.md): {"state":..,"type":..,"attempt":N,"priority":P (if not 5),"created_at_ms":..,
-- "started_at_ms":.. (if it ran),"finished_at_ms":..,"worker":".." (if known),"result_b64":".." (if any)}.
-- data is the task's JSON (tasks), attempt its attempt (string), started its "<ms>|<worker>" (or false), result_b64
-- '' for none. The type, creation time and priority are found with string.find/match, which costs a fraction of a
-- cjson.decode of the whole task; a task whose "type" is escaped, or comes after its headers, is decoded.
local function finished_record(state, data, attempt, started, now, result_b64)
  local ty, created, priority
  if data and data ~= '' then
    local at = string.find(data, '"type":"', 1, true)
    local headers = string.find(data, '"headers":', 1, true)
    if at and not (headers and headers < at) then
      local raw = string.match(data, '^([^"\\]*)"', at + 8)
      if raw then ty = '"' .. raw .. '"' end
    end
    if ty then
      created = string.match(data, '"created_at_ms":(%-?%d+)')
      priority = string.match(data, '"priority":(%d+)')
    else
      local ok, t = pcall(cjson.decode, data)
      if ok and type(t) == 'table' then
        ty = cjson.encode(tostring(t['type'] or ''))
        created = t['created_at_ms'] and string.format('%d', t['created_at_ms'])
        priority = t['priority'] and string.format('%d', t['priority'])
      end
    end
  end
  local out = {'{"state":"', state, '","type":', ty or '""', ',"attempt":', attempt or '1'}
  if priority and priority ~= '5' then out[#out + 1] = ',"priority":' .. priority end
  out[#out + 1] = ',"created_at_ms":' .. (created or '0')
  if started then
    local ms, worker = string.match(started, '^(%d+)|(.*)$')
    if ms then
      out[#out + 1] = ',"started_at_ms":' .. ms
      if worker ~= '' then
        if not string.find(worker, '^[%w%.%-_:/@]+$') then worker = string.sub(cjson.encode(worker), 2, -2) end
        out[#out + 1] = ',"worker":"' .. worker .. '"'
      end
    end
  end
  out[#out + 1] = ',"finished_at_ms":' .. now
  if result_b64 and result_b64 ~= '' then out[#out + 1] = ',"result_b64":"' .. result_b64 .. '"' end
  out[#out + 1] = '}'
  return table.concat(out)
end

-- attempt_of(data, field): the attempt of a task: its attempts field after retries, else its JSON's.
local function attempt_of(data, field)
  if field then return field end
  return (data and string.match(data, '"attempt":(%d+)')) or '1'
end
