using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SSIS.Batch.Engine.Inference;

/// <summary>
/// How the engine opens ONNX models (Microsoft.ML.OnnxRuntime). Each worker gets its own session running on one thread,
/// so the engine's workers, not ONNX Runtime's thread pools, share out the cores.
/// </summary>
public static class OnnxModels
{
    /// <summary>ONNX Runtime's version (e.g. 1.31.1), for run.json.</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>A session over <paramref name="modelPath"/>; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static InferenceSession Open(string modelPath)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"ONNX model not found: {modelPath}", modelPath);
        // The session copies what it needs from the options when it is created.
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        return new InferenceSession(modelPath, options);
    }

    /// <summary>Null when <paramref name="node"/> is a float tensor, else what it holds instead (e.g. "Int64 tensor").</summary>
    public static string? NotFloatTensor(NodeMetadata node) =>
        node is { IsTensor: true, ElementDataType: TensorElementType.Float } ? null
        : node.IsTensor ? $"{node.ElementDataType} tensor" : $"{node.OnnxValueType}";
}
