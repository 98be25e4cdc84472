{{- define "division.fullname" -}}
{{- printf "%s-gateway" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "division.labels" -}}
app.kubernetes.io/name: division
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
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
