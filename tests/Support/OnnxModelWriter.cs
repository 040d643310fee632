using Google.Protobuf;

namespace SSIS.Batch.Tests.Support;

/// <summary>
/// Writes small ONNX models field by field with protobuf's coded streams (field numbers from onnx.proto), so tests
/// can run the ONNX encoder on a model whose output they compute by hand.
/// </summary>
public sealed class OnnxModelWriter
{
    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];

    private const int ElementFloat = 1;
    private const int ElementInt64 = 7;

    /// <summary>A float input or output; a null dimension is dynamic (named "windows").</summary>
    public OnnxModelWriter Input(string name, params long?[] shape) { _inputs.Add(ValueInfo(name, ElementFloat, shape)); return this; }
    public OnnxModelWriter Output(string name, params long?[] shape) { _outputs.Add(ValueInfo(name, ElementFloat, shape)); return this; }
    /// <summary>An int64 output (e.g. of a Shape node), for models whose outputs are not all float.</summary>
    public OnnxModelWriter Int64Output(string name, params long?[] shape) { _outputs.Add(ValueInfo(name, ElementInt64, shape)); return this; }

    /// <summary>A float constant [rows × cols] (row-major).</summary>
    public OnnxModelWriter Initializer(string name, long[] dims, float[] values)
    {
        _initializers.Add(Message(s =>
        {
            foreach (var d in dims) { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); }
            s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(ElementFloat);
            s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            s.WriteTag(9, WireFormat.WireType.LengthDelimited); s.WriteBytes(ByteString.CopyFrom(raw));
        }));
        return this;
    }

    public OnnxModelWriter Node(string opType, string[] inputs, string[] outputs)
    {
        _nodes.Add(Message(s =>
        {
            foreach (var i in inputs) { s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(i); }
            foreach (var o in outputs) { s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(o); }
            s.WriteTag(3, WireFormat.WireType.LengthDelimited); s.WriteString($"{opType}_{_nodes.Count}");
            s.WriteTag(4, WireFormat.WireType.LengthDelimited); s.WriteString(opType);
        }));
        return this;
    }

    public void Save(string path)
    {
        var graph = Message(s =>
        {
            foreach (var n in _nodes) Embedded(s, 1, n);
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString("test");
            foreach (var i in _initializers) Embedded(s, 5, i);
            foreach (var i in _inputs) Embedded(s, 11, i);
            foreach (var o in _outputs) Embedded(s, 12, o);
        });
        var model = Message(s =>
        {
            s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(8); // ir_version
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString("ssis-tests");
            Embedded(s, 7, graph);
            Embedded(s, 8, Message(o => { o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(17); })); // opset 17, default domain
        });
        File.WriteAllBytes(path, model);
    }

    private static byte[] ValueInfo(string name, int elementType, long?[] shape) => Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        var dims = shape.Select(d => Message(dim =>
        {
            if (d is { } value) { dim.WriteTag(1, WireFormat.WireType.Varint); dim.WriteInt64(value); }
            else { dim.WriteTag(2, WireFormat.WireType.LengthDelimited); dim.WriteString("windows"); }
        })).ToList();
        var tensorShape = Message(t => { foreach (var d in dims) Embedded(t, 1, d); });
        var tensorType = Message(t =>
        {
            t.WriteTag(1, WireFormat.WireType.Varint); t.WriteInt32(elementType);
            Embedded(t, 2, tensorShape);
        });
        Embedded(s, 2, Message(t => Embedded(t, 1, tensorType)));
    });

    private static void Embedded(CodedOutputStream s, int field, byte[] message)
    {
        s.WriteTag(field, WireFormat.WireType.LengthDelimited);
        s.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var stream = new CodedOutputStream(buffer, leaveOpen: true)) write(stream);
        return buffer.ToArray();
    }
}
