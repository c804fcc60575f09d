{{/* Names and labels shared by every object of the chart. */}}
{{- define "plume.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "plume.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "plume.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "plume.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "plume.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "plume.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "plume.gpuImage" -}}
{{- printf "%s:%s%s" .Values.gpuImage.repository (default .Chart.AppVersion .Values.gpuImage.tag) .Values.gpuImage.tagSuffix -}}
{{- end -}}

{{- define "plume.databaseSecret" -}}
{{- default (printf "%s-env" (include "plume.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{/* Environment every Plume container gets: config map, secrets, writable state dir. */}}
{{- define "plume.env" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "plume.databaseSecret" . }}
      key: {{ if .Values.database.existingSecret }}{{ .Values.database.existingSecretKey }}{{ else }}DATABASE_URL{{ end }}
{{- if or .Values.artifacts.s3.existingSecret .Values.artifacts.s3.accessKeyId }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-env" (include "plume.fullname" .)) .Values.artifacts.s3.existingSecret }}
      key: AWS_ACCESS_KEY_ID
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ default (printf "%s-env" (include "plume.fullname" .)) .Values.artifacts.s3.existingSecret }}
      key: AWS_SECRET_ACCESS_KEY
{{- end }}
{{- end -}}

{{- define "plume.envFrom" -}}
- configMapRef:
    name: {{ include "plume.fullname" . }}-config
{{- end -}}

{{/* Writable directories (the root filesystem is read-only) and the optional artifact volume. */}}
{{- define "plume.volumeMounts" -}}
- name: state
  mountPath: /var/lib/plume
- name: tmp
  mountPath: /tmp
{{- if .Values.artifacts.volume.claimName }}
- name: artifacts
  mountPath: {{ .Values.artifacts.location }}
{{- end }}
{{- end -}}

{{- define "plume.volumes" -}}
- name: state
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- if .Values.artifacts.volume.claimName }}
- name: artifacts
  persistentVolumeClaim:
    claimName: {{ .Values.artifacts.volume.claimName }}
{{- end }}
{{- end -}}
