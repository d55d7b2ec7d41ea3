/* The floor of issue 19: a CPython extension written by hand that calls
 * benchmarks/raw's cgo exports with METH_FASTCALL, as a C-extension
 * generator would. set_exports(add_int, echo_bytes, upper) takes the exports'
 * addresses (from ctypes), so that the extension needs no link step
 * against libraw. The GIL is released around each call, as usegolib and
 * ctypes release it. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef long long (*add_int_t)(long long, long long);
typedef void (*echo_bytes_t)(const void *, long long, void *);
typedef long long (*upper_t)(const void *, long long, void *);

static add_int_t add_int_export;
static echo_bytes_t echo_bytes_export;
static upper_t upper_export;

static PyObject *set_exports(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "set_exports(add_int, echo_bytes, upper)");
        return NULL;
    }
    add_int_export = (add_int_t)PyLong_AsVoidPtr(args[0]);
    echo_bytes_export = (echo_bytes_t)PyLong_AsVoidPtr(args[1]);
    upper_export = (upper_t)PyLong_AsVoidPtr(args[2]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *add_int(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "add_int(a, b)");
        return NULL;
    }
    long long a = PyLong_AsLongLong(args[0]), b = PyLong_AsLongLong(args[1]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    long long sum;
    Py_BEGIN_ALLOW_THREADS
    sum = add_int_export(a, b);
    Py_END_ALLOW_THREADS
    return PyLong_FromLongLong(sum);
}

static PyObject *echo_bytes(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    char *data;
    Py_ssize_t size;
    if (nargs != 1 || PyBytes_AsStringAndSize(args[0], &data, &size) < 0) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "echo_bytes(data)");
        }
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, size);
    if (out == NULL) {
        return NULL;
    }
    char *target = PyBytes_AsString(out);
    Py_BEGIN_ALLOW_THREADS
    echo_bytes_export(data, size, target);
    Py_END_ALLOW_THREADS
    return out;
}

/* upper(text): the export's upper case of an ASCII str, as a str (a
 * buffer on the stack for short ones, as a generator would). */
static PyObject *upper(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    Py_ssize_t size = 0;
    const char *text = nargs == 1 ? PyUnicode_AsUTF8AndSize(args[0], &size) : NULL;
    if (text == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_TypeError, "upper(text)");
        }
        return NULL;
    }
    char small[256];
    char *out = size <= (Py_ssize_t)sizeof small ? small : PyMem_Malloc((size_t)size);
    if (out == NULL) {
        return PyErr_NoMemory();
    }
    long long written;
    Py_BEGIN_ALLOW_THREADS
    written = upper_export(text, size, out);
    Py_END_ALLOW_THREADS
    PyObject *result = PyUnicode_DecodeUTF8(out, (Py_ssize_t)written, NULL);
    if (out != small) {
        PyMem_Free(out);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"set_exports", (PyCFunction)(void (*)(void))set_exports, METH_FASTCALL, NULL},
    {"add_int", (PyCFunction)(void (*)(void))add_int, METH_FASTCALL, NULL},
    {"echo_bytes", (PyCFunction)(void (*)(void))echo_bytes, METH_FASTCALL, NULL},
    {"upper", (PyCFunction)(void (*)(void))upper, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, "rawext", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_rawext(void) { return PyModule_Create(&definition); }
