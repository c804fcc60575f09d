/*
 * Loads a shared library with the process's stderr captured, and hands back what was written.
 *
 * TensorFlow's library prints notices from its static initialisers (the oneDNN notice and absl's
 * "log messages before absl::InitializeLog()" line) straight to file descriptor 2, before any log
 * level applies. Node has no dup2, so this N-API addon does the redirection: models/backend.ts
 * calls preload() on the TensorFlow library before requiring the binding, filters the known
 * notices out of the captured text and writes the rest to stderr. The library stays loaded (the
 * handle is never closed), so the binding's own load finds it resident and nothing prints twice.
 *
 * One copy of this addon serves every thread of the process: a mutex makes concurrent callers
 * (compute threads starting at once) take turns, and a library already loaded returns at once.
 */
#include <dlfcn.h>
#include <node_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static napi_value make_result(napi_env env, int loaded, const char *error, const char *captured, size_t captured_len) {
  napi_value result, v;
  napi_create_object(env, &result);
  napi_get_boolean(env, loaded, &v);
  napi_set_named_property(env, result, "loaded", v);
  if (error) napi_create_string_utf8(env, error, NAPI_AUTO_LENGTH, &v);
  else napi_get_null(env, &v);
  napi_set_named_property(env, result, "error", v);
  napi_create_string_utf8(env, captured ? captured : "", captured ? captured_len : 0, &v);
  napi_set_named_property(env, result, "stderr", v);
  return result;
}

/* preload(path: string): { loaded: boolean, error: string | null, stderr: string } */
static napi_value preload(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[4096];
  size_t path_len = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &path_len) != napi_ok || path_len == 0 ||
      path_len >= sizeof path - 1) {
    napi_throw_type_error(env, NULL, "preload(path): path must be a non-empty string shorter than 4095 bytes");
    return NULL;
  }
  pthread_mutex_lock(&lock);
  /* Already resident (an earlier call, or another thread's binding): nothing to capture. */
  if (dlopen(path, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) != NULL) {
    pthread_mutex_unlock(&lock);
    return make_result(env, 1, NULL, NULL, 0);
  }
  fflush(stderr);
  FILE *capture = tmpfile();
  int saved = capture ? dup(2) : -1;
  int redirected = saved >= 0 && dup2(fileno(capture), 2) >= 0;
  void *handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
  char error[1024] = {0};
  if (!handle) snprintf(error, sizeof error, "%s", dlerror());
  fflush(stderr);
  if (redirected) dup2(saved, 2);
  if (saved >= 0) close(saved);
  char *text = NULL;
  size_t text_len = 0;
  if (capture) {
    off_t size = lseek(fileno(capture), 0, SEEK_END);
    if (size > 0 && (text = malloc((size_t)size)) != NULL) text_len = (size_t)pread(fileno(capture), text, (size_t)size, 0);
    if (text_len == (size_t)-1) text_len = 0;
    fclose(capture);
  }
  pthread_mutex_unlock(&lock);
  napi_value result = make_result(env, handle != NULL, handle ? NULL : error, text, text_len);
  free(text);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "preload", NAPI_AUTO_LENGTH, preload, NULL, &fn);
  napi_set_named_property(env, exports, "preload", fn);
  return exports;
}
