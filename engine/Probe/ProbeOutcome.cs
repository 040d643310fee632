using SSIS.Batch.Engine.Errors;

namespace SSIS.Batch.Engine.Probe;

/// <summary>How a file's properties were obtained.</summary>
public enum ProbeMethod
{
    /// <summary>The engine's own header reader.</summary>
    Header,
    /// <summary>An ffprobe process (formats the header readers do not know, or headers they could not parse).</summary>
    Ffprobe,
}

/// <summary>
/// Either the file's audio properties or a typed error; and, when the file could be read, its content id
/// (<see cref="ContentIds"/>), which names it wherever it moves.
/// </summary>
public sealed record ProbeOutcome(AudioProperties? Properties, FileError? Error, ProbeMethod Method, long? ContentId = null)
{
    public static ProbeOutcome Ok(AudioProperties properties, ProbeMethod method) => new(properties, null, method);
    public static ProbeOutcome Failed(ErrorCode code, string message, ProbeMethod method) => new(null, new FileError(code, message), method);
}
