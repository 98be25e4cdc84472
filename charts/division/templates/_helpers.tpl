{{- define "division.fullname" -}}
{{- printf "%s-gateway" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "division.labels" -}}
{{ include "division.commonLabels" . }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "division.commonLabels" -}}
app.kubernetes.io/name: division
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "division.selectorLabels" -}}
app.kubernetes.io/name: division
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "division.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "division.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Where the executor creates what it runs: the Job namespace or Brigade's. */}}
{{- define "division.workNamespace" -}}
{{- if eq .Values.executor "kubernetes" -}}
{{- default .Release.Namespace .Values.jobTemplate.namespace -}}
{{- else -}}
{{- default .Release.Namespace .Values.brigade.namespace -}}
{{- end -}}
{{- end -}}

{{/* The install Job's service account: named in jobTemplate, or the one this chart creates. */}}
{{- define "division.installServiceAccountName" -}}
{{- if .Values.installServiceAccount.create -}}
{{- default (printf "%s-install" .Release.Name | trunc 63 | trimSuffix "-") (default .Values.jobTemplate.serviceAccountName .Values.installServiceAccount.name) -}}
{{- else -}}
{{- .Values.jobTemplate.serviceAccountName -}}
{{- end -}}
{{- end -}}

{{- define "division.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
