// Command kubernetes-schemas writes strict JSON schemas for the Kubernetes kinds the Plume Helm
// chart renders, in kubeconform's file layout (<kind>-<group>-<version>.json, lower case), from
// the k8s.io/api Go types, so `helm template | kubeconform` validates offline (kubeconform's
// default schema registry is on the internet). Unknown fields are errors (additionalProperties:
// false), as in kubeconform's "-strict" schemas; required fields are not checked beyond
// apiVersion and kind, because the Go types do not say which fields the API server requires.
//
//	go run ./infra/kubernetes-schemas -out DIR
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

type schema = map[string]any

type kind struct {
	group, version, name string
	obj                  any
}

var kinds = []kind{
	{"", "v1", "ConfigMap", corev1.ConfigMap{}},
	{"", "v1", "Secret", corev1.Secret{}},
	{"", "v1", "Service", corev1.Service{}},
	{"", "v1", "ServiceAccount", corev1.ServiceAccount{}},
	{"", "v1", "PersistentVolumeClaim", corev1.PersistentVolumeClaim{}},
	{"apps", "v1", "Deployment", appsv1.Deployment{}},
	{"apps", "v1", "StatefulSet", appsv1.StatefulSet{}},
	{"batch", "v1", "Job", batchv1.Job{}},
	{"autoscaling", "v2", "HorizontalPodAutoscaler", autoscalingv2.HorizontalPodAutoscaler{}},
	{"policy", "v1", "PodDisruptionBudget", policyv1.PodDisruptionBudget{}},
	{"networking.k8s.io", "v1", "Ingress", networkingv1.Ingress{}},
	{"rbac.authorization.k8s.io", "v1", "Role", rbacv1.Role{}},
	{"rbac.authorization.k8s.io", "v1", "RoleBinding", rbacv1.RoleBinding{}},
}

var (
	quantityType    = reflect.TypeOf(resource.Quantity{})
	intOrStringType = reflect.TypeOf(intstr.IntOrString{})
	timeType        = reflect.TypeOf(metav1.Time{})
	microTimeType   = reflect.TypeOf(metav1.MicroTime{})
	durationType    = reflect.TypeOf(metav1.Duration{})
	rawType         = reflect.TypeOf(runtime.RawExtension{})
	fieldsV1Type    = reflect.TypeOf(metav1.FieldsV1{})
)

func nullable(s schema) schema {
	switch t := s["type"].(type) {
	case string:
		s["type"] = []string{t, "null"}
	case []string:
		for _, x := range t {
			if x == "null" {
				return s
			}
		}
		s["type"] = append(t, "null")
	}
	return s
}

func typeSchema(t reflect.Type, stack map[reflect.Type]bool) schema {
	switch t {
	case quantityType:
		return schema{"type": []string{"string", "number"}}
	case intOrStringType:
		return schema{"type": []string{"string", "integer"}}
	case timeType, microTimeType, durationType:
		return schema{"type": []string{"string", "null"}}
	case rawType, fieldsV1Type:
		return schema{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(typeSchema(t.Elem(), stack))
	case reflect.Bool:
		return schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return schema{"type": "number"}
	case reflect.String:
		return schema{"type": "string"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return schema{"type": []string{"string", "null"}}
		}
		return schema{"type": []string{"array", "null"}, "items": typeSchema(t.Elem(), stack)}
	case reflect.Map:
		return schema{"type": []string{"object", "null"}, "additionalProperties": typeSchema(t.Elem(), stack)}
	case reflect.Interface:
		return schema{}
	case reflect.Struct:
		if stack[t] {
			return schema{} // recursive type: accept anything below this depth
		}
		stack[t] = true
		defer delete(stack, t)
		props := schema{}
		addFields(t, props, stack)
		return schema{"type": "object", "properties": props, "additionalProperties": false}
	}
	panic(fmt.Sprintf("unsupported type %s", t))
}

func addFields(t reflect.Type, props schema, stack map[reflect.Type]bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name := strings.Split(tag, ",")[0]
		if name == "-" {
			continue
		}
		if strings.Contains(tag, ",inline") || (f.Anonymous && name == "") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			addFields(ft, props, stack)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = typeSchema(f.Type, stack)
	}
}

func fileName(k kind) string {
	suffix := "-" + k.version
	if k.group != "" {
		suffix = "-" + strings.Split(k.group, ".")[0] + "-" + k.version
	}
	return strings.ToLower(k.name) + suffix + ".json"
}

func main() {
	out := flag.String("out", "", "directory to write the schemas to")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: kubernetes-schemas -out DIR")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		panic(err)
	}
	for _, k := range kinds {
		s := typeSchema(reflect.TypeOf(k.obj), map[reflect.Type]bool{})
		apiVersion := k.version
		if k.group != "" {
			apiVersion = k.group + "/" + k.version
		}
		props := s["properties"].(schema)
		props["apiVersion"] = schema{"type": "string", "enum": []string{apiVersion}}
		props["kind"] = schema{"type": "string", "enum": []string{k.name}}
		s["required"] = []string{"apiVersion", "kind"}
		s["description"] = fmt.Sprintf("%s %s from k8s.io/api (generated by infra/kubernetes-schemas)", apiVersion, k.name)
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			panic(err)
		}
		if err := os.WriteFile(filepath.Join(*out, fileName(k)), b, 0o644); err != nil {
			panic(err)
		}
	}
	fmt.Printf("%d schemas in %s\n", len(kinds), *out)
}
