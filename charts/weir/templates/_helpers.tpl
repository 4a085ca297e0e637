{{/* The chart's name, or nameOverride. */}}
{{- define "weir.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: fullnameOverride, the release name when it holds the chart name, else both. */}}
{{- define "weir.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of the operator's objects (Deployment, ServiceAccount, RBAC, PodDisruptionBudget). */}}
{{- define "weir.operator" -}}
{{- printf "%s-operator" (include "weir.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "weir.serviceAccountName" -}}
{{- default (include "weir.operator" .) .Values.serviceAccount.name }}
{{- end }}

{{/*
Selector labels. app.kubernetes.io/name must stay weir-operator: the NetworkPolicy the operator
gives each KafkaConnect lets pods with this label in the operator's namespace reach the workers.
*/}}
{{- define "weir.selectorLabels" -}}
app.kubernetes.io/name: weir-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "weir.labels" -}}
{{ include "weir.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: weir
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The operator's image; the workers' too unless workerImage says otherwise. */}}
{{- define "weir.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
What the operator does in a watched namespace: read its resources, write their status, apply the
objects of each KafkaConnect (server-side apply: get, create, patch; owner references take them away,
so no delete), watch the workers' pods and record events.
*/}}
{{- define "weir.operatorRules" -}}
- apiGroups: [weir.dev]
  resources: [kafkaconnects, kafkaconnectors]
  verbs: [list, watch]
# The connector finalizer is added and removed with a merge patch of metadata.
- apiGroups: [weir.dev]
  resources: [kafkaconnectors]
  verbs: [patch]
- apiGroups: [weir.dev]
  resources: [kafkaconnects/status, kafkaconnectors/status]
  verbs: [patch]
# Owner references with blockOwnerDeletion to a KafkaConnect (OwnerReferencesPermissionEnforcement).
- apiGroups: [weir.dev]
  resources: [kafkaconnects/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [configmaps, secrets, services, serviceaccounts]
  verbs: [get, create, patch]
# Secrets a KafkaConnect refers to roll its workers when they change: watched as metadata only
# (the operator never lists their data), but RBAC cannot grant less than list and watch.
- apiGroups: [""]
  resources: [secrets]
  verbs: [list, watch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, create, patch]
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, create, patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/* The operator's ServiceAccount as an RBAC subject. */}}
{{- define "weir.operatorSubject" -}}
- kind: ServiceAccount
  name: {{ include "weir.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}
