kind: Widget
metadata:
  name: {{name}}
spec:
  size: {{size}}
