{
  "targets": [
    {
      "target_name": "quiet_load",
      "sources": ["quiet_load.c"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
