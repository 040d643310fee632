using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Embedding.Onnx;
using SSIS.Batch.Engine.Inference;
using SSIS.Batch.Engine.Speech;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Inference;

/// <summary>
/// ONNX Runtime through the Microsoft.ML.OnnxRuntime package: what the engine reads from a model, and the clear errors
/// for models it cannot use. Silero's verdicts on real speech and music are checked in SpeechGateAccuracyTests.
/// </summary>
public class OnnxRuntimePackageTests
{
    private static readonly string Silero = Path.Combine(Repo.Root, "native", SpeechDetectors.SileroModelFile);

    /// <summary>audio [windows × 4] → embedding = audio·W (float) and the input's shape (int64).</summary>
    private static string ModelWithAnInt64Output(TempFolder folder)
    {
        var path = folder.File("shape.onnx");
        new OnnxModelWriter().Input("audio", null, 4).Initializer("W", [4, 2], [1, 0, 0, 1, 1, 0, 0, 1])
            .Node("MatMul", ["audio", "W"], ["embedding"]).Node("Shape", ["audio"], ["shape"])
            .Output("embedding", null, 2).Int64Output("shape", 2).Save(path);
        return path;
    }

    [Fact]
    public void The_silero_model_declares_its_inputs_and_outputs_and_the_runtime_names_its_version()
    {
        using var session = OnnxModels.Open(Silero);
        Assert.Equal(["input:Float:-1,-1", "state:Float:2,-1,128", "sr:Int64:"],
            session.InputNames.Select(n => $"{n}:{session.InputMetadata[n].ElementDataType}:{string.Join(',', session.InputMetadata[n].Dimensions)}"));
        Assert.Equal(["output", "stateN"], session.OutputNames);
        Assert.Null(OnnxModels.NotFloatTensor(session.OutputMetadata["output"]));
        Assert.Equal("Int64 tensor", OnnxModels.NotFloatTensor(session.InputMetadata["sr"]));
        Assert.Matches(@"^1\.31\.\d+$", OnnxModels.RuntimeVersion);
    }

    [Fact]
    public void A_missing_model_is_a_clear_error_for_the_speech_detector_and_the_encoder()
    {
        var detector = Assert.Throws<FileNotFoundException>(() => new SileroSpeechDetector("/no/such/model.onnx"));
        Assert.Contains("/no/such/model.onnx", detector.Message);
        var encoder = Assert.Throws<FileNotFoundException>(() => new OnnxEncoder(new OnnxEncoderSettings("missing", "/no/such/encoder.onnx")));
        Assert.Contains("/no/such/encoder.onnx", encoder.Message);
    }

    [Fact]
    public void Disposing_a_detector_or_an_encoder_twice_is_harmless_and_a_disposed_session_refuses_to_run()
    {
        using var folder = new TempFolder();
        var detector = new SileroSpeechDetector(Silero);
        detector.Dispose();
        detector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => detector.Estimate(new float[16000]));

        var encoder = new OnnxEncoder(new OnnxEncoderSettings("shape", ModelWithAnInt64Output(folder), WindowSeconds: 4.0 / 16000));
        encoder.Dispose();
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.WindowVectors(new float[8]));
    }

    [Fact]
    public void An_encoder_refuses_an_output_that_is_not_float_and_reads_the_float_one_of_the_same_model()
    {
        using var folder = new TempFolder();
        var model = ModelWithAnInt64Output(folder);
        var error = Assert.Throws<ArgumentException>(() =>
            new OnnxEncoder(new OnnxEncoderSettings("shape", model, WindowSeconds: 4.0 / 16000, Outputs: ["shape"])));
        Assert.Contains("output 'shape' is a Int64 tensor", error.Message);

        using var encoder = new OnnxEncoder(new OnnxEncoderSettings("shape", model, WindowSeconds: 4.0 / 16000, Outputs: ["embedding"]));
        Assert.Equal(2, encoder.Dimension);
    }

    [Fact]
    public void A_model_that_is_not_silero_is_refused_and_the_job_falls_back_to_the_heuristic_saying_why()
    {
        using var folder = new TempFolder();
        var model = ModelWithAnInt64Output(folder);
        var error = Assert.Throws<InvalidDataException>(() => new SileroSpeechDetector(model));
        Assert.Contains("is not a Silero VAD v5 model: its inputs are audio", error.Message);

        var (factory, signature) = SpeechDetectors.Choose(new SpeechOptions(SpeechDetectorKind.Silero, ModelPath: model), new SSIS.Batch.Engine.Segments.SegmentOptions(), out var fallbackReason);
        Assert.Equal(new HeuristicSpeechDetector().Name, signature);
        Assert.IsType<HeuristicSpeechDetector>(factory());
        Assert.Contains("not a Silero VAD v5 model", fallbackReason);
    }
}
