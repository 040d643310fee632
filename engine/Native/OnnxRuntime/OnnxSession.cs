using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.OnnxRuntime;

/// <summary>One declared input or output of a model: name, element type (ONNX enum) and shape (-1: dynamic).</summary>
public sealed record TensorSpec(string Name, int ElementType, IReadOnlyList<long> Shape);

/// <summary>An input tensor the caller owns: float or int64 data and its shape.</summary>
public sealed record InputTensor(string Name, Array Data, long[] Shape);

/// <summary>
/// A loaded ONNX model: its declared inputs and outputs, and <see cref="Run"/> over caller-owned buffers.
/// One session per worker thread (ORT sessions are thread-safe, but our scratch buffers are not).
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private static readonly Lazy<OrtEnvironment> Environment = new(() => new OrtEnvironment());

    private IntPtr _session;
    private IntPtr _options;
    private readonly IntPtr[] _inputNames;
    private readonly IntPtr[] _outputNames;

    public IReadOnlyList<TensorSpec> Inputs { get; }
    public IReadOnlyList<TensorSpec> Outputs { get; }

    public OnnxSession(string modelPath, int intraOpThreads = 1)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        var env = Environment.Value;
        _options = OrtApi.CreateSessionOptions(intraOpThreads);
        try
        {
            _session = OrtApi.CreateSession(env.Handle, modelPath, _options);
        }
        catch
        {
            OrtApi.ReleaseSessionOptions(_options);
            throw;
        }
        Inputs = Specs(OrtApi.InputCount(_session), output: false);
        Outputs = Specs(OrtApi.OutputCount(_session), output: true);
        _inputNames = Inputs.Select(i => Marshal.StringToCoTaskMemUTF8(i.Name)).ToArray();
        _outputNames = Outputs.Select(o => Marshal.StringToCoTaskMemUTF8(o.Name)).ToArray();
    }

    public static string BuildInfo => OrtApi.BuildInfo;

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> (in the order of <see cref="Inputs"/>) and copies every float output
    /// into <paramref name="outputs"/> (in the order of <see cref="Outputs"/>; each array must be large enough).
    /// Returns each copied output's shape.
    /// </summary>
    public long[][] Run(IReadOnlyList<InputTensor> inputs, IReadOnlyList<float[]> outputs)
    {
        if (inputs.Count != Inputs.Count) throw new ArgumentException($"The model takes {Inputs.Count} inputs, got {inputs.Count}.");
        var handles = new GCHandle[inputs.Count];
        var values = stackalloc IntPtr[inputs.Count];
        var results = stackalloc IntPtr[_outputNames.Length];
        for (var i = 0; i < _outputNames.Length; i++) results[i] = IntPtr.Zero;
        var memory = Environment.Value.CpuMemory;
        var shapes = new long[Math.Min(outputs.Count, _outputNames.Length)][];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                handles[i] = GCHandle.Alloc(input.Data, GCHandleType.Pinned);
                var (element, bytes) = input.Data switch
                {
                    float[] f => (OrtApi.ElementFloat, f.Length * 4),
                    long[] l => (OrtApi.ElementInt64, l.Length * 8),
                    _ => throw new ArgumentException($"Input '{input.Name}': only float[] and long[] are supported."),
                };
                fixed (long* shape = input.Shape)
                    values[i] = OrtApi.CreateTensor(memory, (void*)handles[i].AddrOfPinnedObject(), (nuint)bytes, shape, (nuint)input.Shape.Length, element);
            }
            fixed (IntPtr* inNames = _inputNames)
            fixed (IntPtr* outNames = _outputNames)
                OrtApi.Run(_session, inNames, values, (nuint)inputs.Count, outNames, (nuint)_outputNames.Length, results);
            for (var o = 0; o < outputs.Count && o < _outputNames.Length; o++)
            {
                shapes[o] = OrtApi.ValueShape(results[o]).ToArray();
                var count = (int)shapes[o].Aggregate(1L, (a, d) => a * Math.Max(d, 1));
                if (outputs[o].Length < count) throw new ArgumentException($"Output '{Outputs[o].Name}' holds {count} values; the buffer has {outputs[o].Length}.");
                new ReadOnlySpan<float>(OrtApi.TensorData(results[o]), count).CopyTo(outputs[o]);
            }
            return shapes;
        }
        finally
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (values[i] != IntPtr.Zero) OrtApi.ReleaseValue(values[i]);
                if (handles[i].IsAllocated) handles[i].Free();
            }
            for (var o = 0; o < _outputNames.Length; o++)
                if (results[o] != IntPtr.Zero) OrtApi.ReleaseValue(results[o]);
        }
    }

    private List<TensorSpec> Specs(nuint count, bool output)
    {
        var specs = new List<TensorSpec>();
        for (nuint i = 0; i < count; i++)
        {
            var (type, shape) = OrtApi.TypeAndShape(_session, i, output);
            specs.Add(new TensorSpec(OrtApi.Name(_session, i, output), type, shape));
        }
        return specs;
    }

    public void Dispose()
    {
        if (_session == IntPtr.Zero) return;
        OrtApi.ReleaseSession(_session);
        OrtApi.ReleaseSessionOptions(_options);
        _session = _options = IntPtr.Zero;
        foreach (var name in _inputNames.Concat(_outputNames)) Marshal.FreeCoTaskMem(name);
    }

    /// <summary>The process-wide ORT environment and CPU memory description, created once and kept for the process's life.</summary>
    private sealed class OrtEnvironment
    {
        public IntPtr Handle { get; } = OrtApi.CreateEnv("ssis");
        public IntPtr CpuMemory { get; } = OrtApi.CreateCpuMemoryInfo();
    }
}
