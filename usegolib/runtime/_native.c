/* The native crossing (issue 19): the bridge's C entry points called from
 * a METH_FASTCALL function of a CPython extension rather than through
 * ctypes, which makes a converter object per argument and a call frame of
 * its own. One extension serves every library and every Python of a
 * platform: it is written against the limited API of Python 3.10 (abi3)
 * and takes the entry point's address, so it knows no artifact.
 *
 * bind(kind, address) returns a built-in function bound to the entry
 * point at address: kinds 0..4 are usegolib_call_ints0..4 (a call id and
 * 0..4 C ints), kind 5 is usegolib_call (a call id, the MessagePack
 * arguments as bytes, their length, the out buffer's address). Each
 * returns the entry point's 64-bit word, as the ctypes path does; Python
 * reads it (runtime/library.py). The GIL is released while Go runs, as
 * ctypes releases it: Go may call back into Python from other threads. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>

typedef int64_t (*ints0_t)(int32_t);
typedef int64_t (*ints1_t)(int32_t, int32_t);
typedef int64_t (*ints2_t)(int32_t, int32_t, int32_t);
typedef int64_t (*ints3_t)(int32_t, int32_t, int32_t, int32_t);
typedef int64_t (*ints4_t)(int32_t, int32_t, int32_t, int32_t, int32_t);
typedef int64_t (*call_t)(int32_t, const char *, int32_t, char *);

#define MAX_INTS 5 /* a call id and four arguments */
#define KIND_CALL 5
#define STATUS_INT 1 /* the word holds an immediate integer (runtime/intcalls.py) */

/* Set in a child after fork(): Go's runtime did not survive it, so every
 * call takes the Python path, which refuses it with ForkError. */
static int forked;
/* Calls of the integer entry points by arity, counted with the GIL held:
 * how tests see which path a call took (int_calls()). */
static unsigned long long int_calls_made[MAX_INTS];
/* types.MethodType, which binds an IntFunction that is a class attribute. */
static PyObject *method_type;

/* The C ints of args, as ctypes would pass a Python int: a value outside
 * int32 raises OverflowError (Python checks the range before calling). */
static int as_int32s(PyObject *const *args, Py_ssize_t n, int32_t *out) {
    for (Py_ssize_t i = 0; i < n; i++) {
        long value = PyLong_AsLong(args[i]);
        if (value == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (value < INT32_MIN || value > INT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "usegolib: an argument does not fit a C int");
            return -1;
        }
        out[i] = (int32_t)value;
    }
    return 0;
}

static int arity_is(Py_ssize_t given, Py_ssize_t wanted) {
    if (given != wanted) {
        PyErr_Format(PyExc_TypeError, "usegolib entry point takes %zd arguments (%zd given)", wanted, given);
        return 0;
    }
    return 1;
}

/* Calls usegolib_call_ints<arity> at entry with v (the call id, then the
 * arguments), counted, with the GIL released while Go runs. */
static int64_t call_int_entry(void *entry, Py_ssize_t arity, const int32_t *v) {
    int64_t word = 0;
    int_calls_made[arity]++;
    Py_BEGIN_ALLOW_THREADS
    switch (arity) {
    case 0: word = ((ints0_t)entry)(v[0]); break;
    case 1: word = ((ints1_t)entry)(v[0], v[1]); break;
    case 2: word = ((ints2_t)entry)(v[0], v[1], v[2]); break;
    case 3: word = ((ints3_t)entry)(v[0], v[1], v[2], v[3]); break;
    default: word = ((ints4_t)entry)(v[0], v[1], v[2], v[3], v[4]); break;
    }
    Py_END_ALLOW_THREADS
    return word;
}

static PyObject *call_ints(PyObject *self, PyObject *const *args, Py_ssize_t nargs, int arity) {
    int32_t v[MAX_INTS];
    void *entry = PyLong_AsVoidPtr(self);
    if (!arity_is(nargs, arity + 1) || as_int32s(args, nargs, v) < 0 || entry == NULL) {
        return NULL;
    }
    return PyLong_FromLongLong(call_int_entry(entry, arity, v));
}

static PyObject *ints0(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 0); }
static PyObject *ints1(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 1); }
static PyObject *ints2(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 2); }
static PyObject *ints3(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 3); }
static PyObject *ints4(PyObject *self, PyObject *const *args, Py_ssize_t n) { return call_ints(self, args, n, 4); }

/* usegolib_call(id, payload, length, out address). The payload is the
 * bytes object Python packed; the caller keeps it alive during the call. */
static PyObject *call(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    char *payload = NULL;
    Py_ssize_t size = 0;
    int32_t id = 0;
    void *entry = PyLong_AsVoidPtr(self);
    if (!arity_is(nargs, 4) || entry == NULL || as_int32s(args, 1, &id) < 0) {
        return NULL;
    }
    if (PyBytes_AsStringAndSize(args[1], &payload, &size) < 0) {
        return NULL;
    }
    if (size > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "usegolib: arguments over 2 GiB");
        return NULL;
    }
    char *out = (char *)PyLong_AsVoidPtr(args[3]);
    if (out == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "usegolib: no out buffer");
        }
        return NULL;
    }
    int64_t word = 0;
    Py_BEGIN_ALLOW_THREADS
    word = ((call_t)entry)(id, payload, (int32_t)size, out);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(word);
}

/* A Go function whose arguments are all integers, called with no Python
 * frame of its own (runtime/intcalls.py says which functions qualify). It
 * checks its arguments as the Python template does: exact ints within a C
 * int, as many as the function takes, no keywords; anything else goes to
 * usual, the function's ordinary invoker, which converts or reports it.
 * A word that is not an immediate integer (nothing, an error, a big
 * result) goes to outcome. Its __dict__ holds what Python describes it
 * with (__name__, __doc__, __signature__...). */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
    void *entry;
    int32_t call_id;
    Py_ssize_t arity;
    PyObject *usual;
    PyObject *outcome;
} IntFunction;

static PyObject *int_function_call(PyObject *op, PyObject *args, PyObject *kwargs) {
    IntFunction *self = (IntFunction *)op;
    int32_t v[MAX_INTS];
    Py_ssize_t n = PyTuple_Size(args);
    int fits = !forked && n == self->arity && (kwargs == NULL || PyDict_Size(kwargs) == 0);
    for (Py_ssize_t i = 0; fits && i < n; i++) {
        PyObject *item = PyTuple_GetItem(args, i);
        int overflow = 0;
        long value = PyLong_CheckExact(item) ? PyLong_AsLongAndOverflow(item, &overflow) : 0;
        fits = PyLong_CheckExact(item) && !overflow && value >= INT32_MIN && value <= INT32_MAX;
        v[i + 1] = (int32_t)value;
    }
    if (!fits) {
        return PyObject_Call(self->usual, args, kwargs);
    }
    v[0] = self->call_id;
    int64_t word = call_int_entry(self->entry, n, v);
    if ((word & 15) == STATUS_INT) {
        return PyLong_FromLongLong(word >> 4);
    }
    return PyObject_CallFunction(self->outcome, "L", (long long)word);
}

static int int_function_traverse(PyObject *op, visitproc visit, void *arg) {
    IntFunction *self = (IntFunction *)op;
    Py_VISIT(self->dict);
    Py_VISIT(self->usual);
    Py_VISIT(self->outcome);
    return 0;
}

static int int_function_clear(PyObject *op) {
    IntFunction *self = (IntFunction *)op;
    Py_CLEAR(self->dict);
    Py_CLEAR(self->usual);
    Py_CLEAR(self->outcome);
    return 0;
}

static void int_function_dealloc(PyObject *op) {
    PyTypeObject *type = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    int_function_clear(op);
    freefunc free_slot = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_slot(op);
    Py_DECREF(type);
}

/* Pickled by reference, as a Python function is: its __qualname__ in its
 * __module__ (a string from __reduce__ means a global). */
static PyObject *int_function_reduce(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyObject_GetAttrString(op, "__qualname__");
}

static PyObject *int_function_repr(PyObject *op) {
    PyObject *name = PyObject_GetAttrString(op, "__qualname__");
    if (name == NULL) {
        PyErr_Clear();
        return PyUnicode_FromString("<Go function>");
    }
    PyObject *repr = PyUnicode_FromFormat("<Go function %U>", name);
    Py_DECREF(name);
    return repr;
}

/* A class attribute binds its instance as the first argument, as a
 * Python function does (a method of a named integer type). */
static PyObject *int_function_get(PyObject *op, PyObject *instance, PyObject *owner) {
    (void)owner;
    if (instance == NULL || instance == Py_None) {
        Py_INCREF(op);
        return op;
    }
    return PyObject_CallFunctionObjArgs(method_type, op, instance, NULL);
}

static PyMemberDef int_function_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(IntFunction, dict), READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef int_function_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef int_function_methods[] = {
    {"__reduce__", int_function_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot int_function_slots[] = {
    {Py_tp_call, int_function_call},
    {Py_tp_descr_get, int_function_get},
    {Py_tp_traverse, int_function_traverse},
    {Py_tp_clear, int_function_clear},
    {Py_tp_dealloc, int_function_dealloc},
    {Py_tp_repr, int_function_repr},
    {Py_tp_members, int_function_members},
    {Py_tp_getset, int_function_getset},
    {Py_tp_methods, int_function_methods},
    {0, NULL},
};

static PyType_Spec int_function_spec = {
    "usegolib.runtime._native.IntFunction", sizeof(IntFunction), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, int_function_slots,
};

static PyObject *int_function_type;

/* int_function(address, call_id, arity, usual, outcome) */
static PyObject *int_function(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 5)) {
        return NULL;
    }
    void *entry = PyLong_AsVoidPtr(args[0]);
    long call_id = PyLong_AsLong(args[1]);
    long arity = PyLong_AsLong(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (entry == NULL || arity < 0 || arity >= MAX_INTS || call_id < INT32_MIN || call_id > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "usegolib: no such integer entry point");
        return NULL;
    }
    if (!PyCallable_Check(args[3]) || !PyCallable_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "usegolib: usual and outcome must be callables");
        return NULL;
    }
    IntFunction *self = PyObject_GC_New(IntFunction, (PyTypeObject *)int_function_type);
    if (self == NULL) {
        return NULL;
    }
    self->dict = NULL;
    self->entry = entry;
    self->call_id = (int32_t)call_id;
    self->arity = arity;
    Py_INCREF(args[3]);
    self->usual = args[3];
    Py_INCREF(args[4]);
    self->outcome = args[4];
    PyObject_GC_Track((PyObject *)self);
    return (PyObject *)self;
}

static PyObject *int_calls(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return Py_BuildValue("(KKKKK)", int_calls_made[0], int_calls_made[1], int_calls_made[2], int_calls_made[3],
                         int_calls_made[4]);
}

static PyObject *after_fork(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    forked = 1;
    Py_RETURN_NONE;
}

static PyMethodDef entry_points[] = {
    {"usegolib_call_ints0", (PyCFunction)(void (*)(void))ints0, METH_FASTCALL, NULL},
    {"usegolib_call_ints1", (PyCFunction)(void (*)(void))ints1, METH_FASTCALL, NULL},
    {"usegolib_call_ints2", (PyCFunction)(void (*)(void))ints2, METH_FASTCALL, NULL},
    {"usegolib_call_ints3", (PyCFunction)(void (*)(void))ints3, METH_FASTCALL, NULL},
    {"usegolib_call_ints4", (PyCFunction)(void (*)(void))ints4, METH_FASTCALL, NULL},
    {"usegolib_call", (PyCFunction)(void (*)(void))call, METH_FASTCALL, NULL},
};

static PyObject *bind(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (!arity_is(nargs, 2)) {
        return NULL;
    }
    long kind = PyLong_AsLong(args[0]);
    if (kind == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (kind < 0 || kind > KIND_CALL) {
        PyErr_Format(PyExc_ValueError, "usegolib: no entry point kind %ld", kind);
        return NULL;
    }
    if (PyLong_AsVoidPtr(args[1]) == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "usegolib: a null entry point");
        }
        return NULL;
    }
    /* The address is the function's self: no state of its own to free. */
    return PyCFunction_NewEx(&entry_points[kind], args[1], NULL);
}

static PyMethodDef methods[] = {
    {"bind", (PyCFunction)(void (*)(void))bind, METH_FASTCALL,
     "bind(kind, address): the entry point at address as a built-in function."},
    {"int_function", (PyCFunction)(void (*)(void))int_function, METH_FASTCALL,
     "int_function(address, call_id, arity, usual, outcome): a Go function of integers."},
    {"after_fork", after_fork, METH_NOARGS, "In a forked child: send every call to its Python path."},
    {"int_calls", int_calls, METH_NOARGS, "How many calls each integer entry point took, by arity."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "_native", "usegolib's native crossing into Go (runtime/native.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__native(void) {
    PyObject *module = PyModule_Create(&definition);
    if (module == NULL) {
        return NULL;
    }
    PyObject *types = PyImport_ImportModule("types");
    method_type = types == NULL ? NULL : PyObject_GetAttrString(types, "MethodType");
    Py_XDECREF(types);
    if (method_type == NULL) {
        Py_DECREF(module);
        return NULL;
    }
    int_function_type = PyType_FromSpec(&int_function_spec);
    if (int_function_type == NULL || PyModule_AddIntConstant(module, "KIND_CALL", KIND_CALL) < 0 ||
        PyModule_AddObject(module, "IntFunction", int_function_type) < 0) {
        Py_XDECREF(int_function_type);
        Py_DECREF(module);
        return NULL;
    }
    Py_INCREF(int_function_type); /* the module's reference went to AddObject; keep ours */
    return module;
}
