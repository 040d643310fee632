using SSIS.Batch.Engine.Native.OnnxRuntime;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Native;

public class OnnxRuntimeBindingTests
{
    private static readonly string Silero = Path.Combine(Repo.Root, "native", "silero_vad_v5.onnx");

    [Fact]
    public void The_silero_model_declares_its_inputs_and_outputs()
    {
        using var session = new OnnxSession(Silero);
        Assert.Equal(["input:1:-1,-1", "state:1:2,-1,128", "sr:7:"],
            session.Inputs.Select(i => $"{i.Name}:{i.ElementType}:{string.Join(',', i.Shape)}"));
        Assert.Equal(["output", "stateN"], session.Outputs.Select(o => o.Name));
        Assert.Contains("ORT Build Info", OnnxSession.BuildInfo);
    }

    [Fact]
    public void A_run_returns_a_probability_and_a_new_state_and_bad_inputs_raise_orts_message()
    {
        using var session = new OnnxSession(Silero);
        var probability = new float[1];
        var state = new float[256];
        session.Run([new InputTensor("input", new float[576], [1, 576]), new InputTensor("state", new float[256], [2, 1, 128]),
            new InputTensor("sr", new long[] { 16000 }, [])], [probability, state]);
        Assert.InRange(probability[0], 0f, 0.1f); // silence is not speech

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(
            [new InputTensor("input", new float[576], [1, 576]), new InputTensor("state", new float[100], [2, 1, 50]),
             new InputTensor("sr", new long[] { 16000 }, [])], [probability, state]));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Disposing_twice_is_harmless()
    {
        var session = new OnnxSession(Silero);
        session.Dispose();
        session.Dispose();
    }

    [Fact]
    public void A_missing_model_is_a_clear_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new OnnxSession("/no/such/model.onnx"));
        Assert.Contains("/no/such/model.onnx", error.Message);
    }
}
