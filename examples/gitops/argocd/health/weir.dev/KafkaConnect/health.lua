-- Health of Weir's KafkaConnect and KafkaConnector (weir.dev). Their status follows kstatus: the
-- conditions Ready, Reconciling and Stalled, each with observedGeneration, and
-- status.observedGeneration, which the CRD defaults to -1 until the operator first writes status.
-- Conditions are read in kstatus' order, so Argo CD and Flux tell the same story.
local hs = {}
local generation = obj.metadata.generation
local observed = nil
if obj.status ~= nil then
  observed = obj.status.observedGeneration
end
if observed == nil or observed < 1 then
  hs.status = "Progressing"
  hs.message = "Waiting for the Weir operator: " .. obj.kind .. " not reconciled yet"
  return hs
end
if generation ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Weir operator: generation " .. generation .. " not observed yet (status is of generation " .. observed .. ")"
  return hs
end

local ready, notReady, reconciling, stalled = nil, nil, nil, nil
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    -- A condition computed from an older generation says nothing about the current spec.
    local current = condition.observedGeneration == nil or generation == nil or condition.observedGeneration >= generation
    if current and condition.type == "Ready" then
      if condition.status == "True" then
        ready = condition
      else
        notReady = condition
      end
    elseif current and condition.status == "True" then
      if condition.type == "Reconciling" then
        reconciling = condition
      elseif condition.type == "Stalled" then
        stalled = condition
      end
    end
  end
end

local function describe(condition)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return condition.reason or ""
end

if reconciling ~= nil then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end
if stalled ~= nil then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end
if ready ~= nil then
  -- A KafkaConnector paused or stopped as its spec asks is Suspended, as Argo CD shows a paused
  -- Deployment or a suspended CronJob; KafkaConnect has no spec.state.
  local state = obj.spec and obj.spec.state
  if state == "paused" or state == "stopped" then
    hs.status = "Suspended"
  else
    hs.status = "Healthy"
  end
  hs.message = describe(ready)
  return hs
end
hs.status = "Progressing"
if notReady ~= nil then
  hs.message = describe(notReady)
else
  hs.message = "Waiting for the Weir operator: " .. obj.kind .. " not ready yet"
end
return hs
