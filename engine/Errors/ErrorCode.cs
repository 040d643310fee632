namespace SSIS.Batch.Engine.Errors;

/// <summary>Why a file left the graph. Written to the ledger and the outputs as its SCREAMING_SNAKE name.</summary>
public enum ErrorCode
{
    FileMissing,
    PermissionDenied,
    NotAFile,
    NotALocalFile,
    NameNotUtf8,
    FileCorrupt,
    CodecUnsupported,
    FileTooShort,
    FileTooLong,
    DecodeTimeout,
    FeatureNan,
    SpeechFailed,
    IoError,
    InternalError,
}

public static class ErrorCodes
{
    public static string Name(this ErrorCode code) => code switch
    {
        ErrorCode.FileMissing => "FILE_MISSING",
        ErrorCode.PermissionDenied => "PERMISSION_DENIED",
        ErrorCode.NotAFile => "NOT_A_FILE",
        ErrorCode.NotALocalFile => "NOT_A_LOCAL_FILE",
        ErrorCode.NameNotUtf8 => "NAME_NOT_UTF8",
        ErrorCode.FileCorrupt => "FILE_CORRUPT",
        ErrorCode.CodecUnsupported => "CODEC_UNSUPPORTED",
        ErrorCode.FileTooShort => "FILE_TOO_SHORT",
        ErrorCode.FileTooLong => "FILE_TOO_LONG",
        ErrorCode.DecodeTimeout => "DECODE_TIMEOUT",
        ErrorCode.FeatureNan => "FEATURE_NAN",
        ErrorCode.SpeechFailed => "SPEECH_FAILED",
        ErrorCode.IoError => "IO_ERROR",
        ErrorCode.InternalError => "INTERNAL_ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>
    /// Codes that mean the file was left out by a limit the user set (analysis.max_duration_s), not that it failed: the
    /// track's status is skipped, counted apart from errors, and its byte-identical copies are still found.
    /// </summary>
    public static bool IsSkip(this ErrorCode code) => code == ErrorCode.FileTooLong;

    /// <summary>
    /// Codes the job's duration limits give from the probed duration alone (analysis.min_duration_s, max_duration_s):
    /// decided again on every run, never cached, and no work (nothing is opened).
    /// </summary>
    public static bool IsLimitRefusal(this ErrorCode code) => code is ErrorCode.FileTooLong or ErrorCode.FileTooShort;

    public static ErrorCode Parse(string name) =>
        Enum.GetValues<ErrorCode>().FirstOrDefault(c => c.Name() == name, ErrorCode.IoError);

    /// <summary>The code for an exception thrown while touching a file.</summary>
    public static ErrorCode FromException(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => ErrorCode.FileMissing,
        UnauthorizedAccessException => ErrorCode.PermissionDenied,
        _ => ErrorCode.IoError,
    };
}

/// <summary>An exception no stage foresaw, as a typed error of the one file it happened on (the run goes on).</summary>
public static class UnexpectedErrors
{
    public static FileError From(Exception exception) =>
        new(ErrorCode.InternalError, $"{exception.GetType().Name}: {exception.Message} (please report this with the file)");
}

/// <summary>A typed failure of one file: its code and a message a person can act on.</summary>
public sealed record FileError(ErrorCode Code, string Message)
{
    public override string ToString() => $"{Code.Name()}: {Message}";
}
