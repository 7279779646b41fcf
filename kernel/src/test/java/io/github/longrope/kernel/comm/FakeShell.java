package io.github.longrope.kernel.comm;

import io.github.spencerpark.jupyter.channels.ReplyEnvironment;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.ErrorReply;
import java.util.ArrayList;
import java.util.List;

/** A shell reply environment that records what a handler publishes and replies. */
final class FakeShell implements ReplyEnvironment {
  final List<Object> published = new ArrayList<>();
  final List<Object> replies = new ArrayList<>();

  @Override
  public void publish(Message<?> msg) {
    published.add(msg.getContent());
  }

  @Override
  public void reply(Message<?> msg) {
    replies.add(msg.getContent());
  }

  @Override
  public ReplyEnvironment defer() {
    return this;
  }

  @Override
  public void defer(Runnable action) {
    action.run();
  }

  @Override
  public void resolveDeferrals() {}

  @Override
  public <T extends ContentType<T>> void publish(T content) {
    published.add(content);
  }

  @Override
  public <T extends ContentType<T>> void reply(T content) {
    replies.add(content);
  }

  @Override
  public void replyError(MessageType<?> type, ErrorReply error) {
    replies.add(error);
  }

  @Override
  public void setStatusBusy() {}

  @Override
  public void setStatusIdle() {}

  @Override
  public void setBusyDeferIdle() {}
}
