using System.Buffers;

namespace SSIS.Batch.Engine.Audio;

/// <summary>
/// The pool for decoded audio. A 30 s stereo crop is 2.6 M floats, more than the shared pool keeps, and fresh buffers
/// of that size cost page faults that two workers then queue on; this pool keeps them.
/// </summary>
public static class AudioBuffers
{
    public static ArrayPool<float> Pool { get; } = ArrayPool<float>.Create(maxArrayLength: 64 * 1024 * 1024, maxArraysPerBucket: 16);
}
