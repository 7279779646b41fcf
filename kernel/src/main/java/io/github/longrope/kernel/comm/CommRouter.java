package io.github.longrope.kernel.comm;

import com.google.gson.JsonObject;
import io.github.longrope.kernel.widgets.WorkerThread;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.channels.ReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.comm.CommManager;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageContext;
import io.github.spencerpark.jupyter.messages.comm.CommCloseCommand;
import io.github.spencerpark.jupyter.messages.comm.CommMsgCommand;
import io.github.spencerpark.jupyter.messages.comm.CommOpenCommand;
import io.github.spencerpark.jupyter.messages.reply.CommInfoReply;
import io.github.spencerpark.jupyter.messages.request.CommInfoRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kernel's side of Jupyter comms: {@code comm_open}, {@code comm_msg}, {@code comm_close} and
 * {@code comm_info_request}, in both directions, with binary buffers.
 *
 * <p>It replaces the base kernel's {@link CommManager} (same handler methods, so the base kernel's
 * dispatch routes the four shell messages here) because that one opens comms with empty data, keeps
 * its comms in unsynchronised maps while cells, the shell thread and background threads all use
 * them, and gives messages no parent once the cell that started them has finished.
 *
 * <p>Parents: a message sent while a front-end message is being handled has that message as its
 * parent (as ipykernel does); any other message has the last {@code execute_request} as its parent,
 * so that a widget displayed by a cell lands in that cell.
 */
public class CommRouter extends CommManager {
  private static final Logger LOG = Logger.getLogger(CommRouter.class.getName());

  /** What a comm does with the front end's messages; runs on the kernel's shell thread. */
  public interface Handler {
    /** A {@code comm_msg} from the front end: its data and binary buffers (never null). */
    void onMessage(JsonObject data, List<byte[]> buffers);

    /** The front end closed the comm (or the kernel did, {@code byKernel}). */
    default void onClose(JsonObject data, boolean byKernel) {}
  }

  /** Opens comms that the front end asks for on a target name. */
  public interface Target {
    /** Returns the handler of the new comm {@code commId}, or null to refuse (it is closed). */
    Handler open(CommRouter router, String commId, JsonObject data);
  }

  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private final Map<String, Target> targetsByName = new ConcurrentHashMap<>();
  private final ThreadLocal<MessageContext> handling = new ThreadLocal<>();
  private volatile Consumer<Message<?>> publisher;
  private volatile MessageContext cellContext;
  private ExecutorService handOff;

  private record Open(String target, Handler handler) {}

  /** Sends iopub messages through {@code sink} (the kernel's iopub socket, or a test's list). */
  public void setPublisher(Consumer<Message<?>> sink) {
    this.publisher = sink;
  }

  @Override
  public void setIOPubChannel(JupyterSocket iopub) {
    super.setIOPubChannel(iopub);
    setPublisher(iopub::sendMessage);
  }

  @Override
  public void setMessageContext(MessageContext context) {
    super.setMessageContext(context);
    this.cellContext = context;
  }

  /** Registers the target the front end opens comms on (e.g. {@code jupyter.widget.version}). */
  public void target(String name, Target target) {
    targetsByName.put(name, Objects.requireNonNull(target, "target"));
  }

  /**
   * Opens a comm to the front end's {@code target} with {@code data} (and buffers, may be empty);
   * returns its id.
   */
  public String open(String target, JsonObject data, List<byte[]> buffers, Handler handler) {
    String id = UUID.randomUUID().toString().replace("-", "");
    open.put(id, new Open(target, handler));
    publish(new CommOpenCommand(id, target, data), buffers);
    return id;
  }

  /** Sends {@code data} (and buffers) on comm {@code id}; a closed comm sends nothing. */
  public void send(String id, JsonObject data, List<byte[]> buffers) {
    if (open.containsKey(id)) {
      publish(new CommMsgCommand(id, data), buffers);
    }
  }

  /** Closes comm {@code id} on both sides. */
  public void close(String id) {
    Open was = open.remove(id);
    if (was != null) {
      publish(new CommCloseCommand(id, new JsonObject()), List.of());
      was.handler().onClose(new JsonObject(), true);
    }
  }

  /** Whether comm {@code id} is open. */
  public boolean isOpen(String id) {
    return open.containsKey(id);
  }

  /** Publishes any iopub content (display data, updates) with the current parent. */
  public <T extends ContentType<T>> void publish(T content, List<byte[]> buffers) {
    Consumer<Message<?>> sink = publisher;
    if (sink == null) {
      LOG.fine(() -> "no front end connected; dropped " + content.getType());
      return;
    }
    MessageContext parent = handling.get() != null ? handling.get() : cellContext;
    Message<T> message =
        new Message<>(parent, content.getType(), content, buffers.isEmpty() ? null : buffers, null);
    if (Thread.currentThread() instanceof WorkerThread) {
      handOff().execute(() -> sink.accept(message)); // never write sockets on an interruptible job
    } else {
      sink.accept(message);
    }
  }

  private synchronized ExecutorService handOff() {
    if (handOff == null) {
      handOff =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "comm publisher");
                t.setDaemon(true);
                return t;
              });
    }
    return handOff;
  }

  @Override
  public void handleCommOpenCommand(ReplyEnvironment env, Message<CommOpenCommand> message) {
    CommOpenCommand command = message.getContent();
    env.setBusyDeferIdle();
    Target target = targetsByName.get(command.getTargetName());
    Handler handler =
        target == null
            ? null
            : within(
                message, () -> target.open(this, command.getCommID(), data(command.getData())));
    if (handler == null) {
      env.publish(new CommCloseCommand(command.getCommID(), new JsonObject()));
    } else {
      open.put(command.getCommID(), new Open(command.getTargetName(), handler));
    }
  }

  @Override
  public void handleCommMsgCommand(ReplyEnvironment env, Message<CommMsgCommand> message) {
    env.setBusyDeferIdle();
    Open comm = open.get(message.getContent().getCommID());
    if (comm == null) {
      LOG.fine(() -> "comm_msg for unknown comm " + message.getContent().getCommID());
      return;
    }
    List<byte[]> buffers = message.getBlobs() == null ? List.of() : message.getBlobs();
    within(
        message,
        () -> {
          comm.handler().onMessage(data(message.getContent().getData()), buffers);
          return null;
        });
  }

  @Override
  public void handleCommCloseCommand(ReplyEnvironment env, Message<CommCloseCommand> message) {
    env.setBusyDeferIdle();
    Open comm = open.remove(message.getContent().getCommID());
    if (comm != null) {
      within(
          message,
          () -> {
            comm.handler().onClose(data(message.getContent().getData()), false);
            return null;
          });
    }
  }

  @Override
  public void handleCommInfoRequest(ReplyEnvironment env, Message<CommInfoRequest> message) {
    env.setBusyDeferIdle();
    String filter = message.getContent().getTargetName();
    Map<String, CommInfoReply.CommInfo> comms = new LinkedHashMap<>();
    open.forEach(
        (id, comm) -> {
          if (filter == null || filter.equals(comm.target())) {
            comms.put(id, new CommInfoReply.CommInfo(comm.target()));
          }
        });
    env.reply(new CommInfoOk(comms));
  }

  /** The base kernel's reply lacks the {@code status} the protocol requires (clients read it). */
  private static final class CommInfoOk extends CommInfoReply {
    @SuppressWarnings("unused") // serialised by Gson
    private final String status = "ok";

    CommInfoOk(Map<String, CommInfoReply.CommInfo> comms) {
      super(comms);
    }
  }

  /** Runs a handler with {@code message} as the parent of what it sends; logs its failures. */
  private <T> T within(MessageContext message, java.util.function.Supplier<T> action) {
    MessageContext before = handling.get();
    handling.set(message);
    try {
      return action.get();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "comm handler failed", e);
      return null;
    } finally {
      if (before == null) {
        handling.remove();
      } else {
        handling.set(before);
      }
    }
  }

  private static JsonObject data(JsonObject data) {
    return data == null ? new JsonObject() : data;
  }
}
